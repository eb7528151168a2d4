/**
 * Bounded, strict JSON and CBOR readers for every teec module that parses input: the document size,
 * nesting, number, string and name lengths and decimal exponents are limited in one place; and the
 * one digest helper ({@link dev.teec.digest.Digests}) and PEM encoder ({@link
 * dev.teec.encoding.Pem}), here because every module depends on this one.
 */
module dev.teec.json {
  requires transitive com.fasterxml.jackson.databind;
  requires static com.fasterxml.jackson.dataformat.cbor;

  exports dev.teec.json;
  exports dev.teec.digest;
  exports dev.teec.encoding;
}
