package dev.teec.formats.bundle;

import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EphemeralSigningKey;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.Subject;
import dev.teec.formats.report.TestReports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes outputs and a log to a directory and makes a matching, signed report. */
final class BundleFixture {
  static final String LONG_PATH =
      "target/" + "very-long-directory-name/".repeat(5) + "binary-with-a-long-name";
  static final String UNICODE_PATH = "docs/r\u00e9sum\u00e9-\u2603.txt";
  static final byte[] LOG = "compiling...\nok\n".getBytes(StandardCharsets.UTF_8);
  static final byte[] ATTESTATION = {(byte) 0x84, 0x40, (byte) 0xa0, 0x40, 0x40};

  private BundleFixture() {}

  /**
   * The default outputs: a small executable, a long-named file, a non-ASCII name, an empty file.
   */
  static Map<String, byte[]> defaultOutputs() {
    Map<String, byte[]> outputs = new LinkedHashMap<>();
    outputs.put("bin/hello", "\u007fELF...".getBytes(StandardCharsets.UTF_8));
    outputs.put(LONG_PATH, new byte[1500]);
    outputs.put(UNICODE_PATH, "caf\u00e9".getBytes(StandardCharsets.UTF_8));
    outputs.put("empty", new byte[0]);
    return outputs;
  }

  static BundleContents contents(Path dir) throws IOException, GeneralSecurityException {
    return contents(dir, defaultOutputs(), Set.of("bin/hello"));
  }

  static BundleContents contents(Path dir, Map<String, byte[]> outputs, Set<String> executables)
      throws IOException, GeneralSecurityException {
    List<BundleArtifact> artifacts = new ArrayList<>();
    List<Subject> subjects = new ArrayList<>();
    for (Map.Entry<String, byte[]> o : outputs.entrySet()) {
      Path file = dir.resolve("out").resolve(o.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, o.getValue());
      artifacts.add(
          new BundleArtifact(
              o.getKey(), file, sha256(o.getValue()), executables.contains(o.getKey())));
      subjects.add(new Subject(o.getKey(), sha256(o.getValue()), executables.contains(o.getKey())));
    }
    Path log = dir.resolve("build.log");
    Files.write(log, LOG);
    byte[] report = report(subjects, sha256(LOG)).canonicalBytes();
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(42);
    byte[] dsse =
        Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, report, EphemeralSigningKey.generate(random)).toJson();
    return new BundleContents(report, dsse, ATTESTATION, log, artifacts);
  }

  static ProvenanceReport report(List<Subject> subjects, String logSha256) {
    ProvenanceReport s = TestReports.sample();
    return new ProvenanceReport(
        subjects,
        s.buildType(),
        s.buildJson(),
        s.source(),
        s.internalParameters(),
        s.enclaveImage(),
        s.networkResources(),
        s.builderId(),
        s.builderVersion(),
        s.invocationId(),
        s.startedOn(),
        s.finishedOn(),
        logSha256,
        0);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
