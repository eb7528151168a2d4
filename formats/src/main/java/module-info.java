/**
 * The formats a build produces and a verifier reads (spec W1, W3, W5, W6): build.json, the
 * in-toto/SLSA report in RFC 8785 JSON, DSSE envelopes and the bundle tar.
 */
module dev.teec.formats {
  requires transitive com.fasterxml.jackson.databind;
  requires dev.teec.json;
  requires org.apache.commons.compress;
  requires org.bouncycastle.provider;

  exports dev.teec.formats.buildspec;
  exports dev.teec.formats.bundle;
  exports dev.teec.formats.files;
  exports dev.teec.formats.report;
}
