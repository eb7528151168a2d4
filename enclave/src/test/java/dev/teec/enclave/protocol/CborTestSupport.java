package dev.teec.enclave.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds hand-made frame bodies for malformed-input tests. */
final class CborTestSupport {

  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  private CborTestSupport() {}

  /** CBOR for {@code map} as Jackson databind writes it (values: String, byte[], numbers, ...). */
  static byte[] cbor(Map<String, ?> map) {
    try {
      return CBOR.writeValueAsBytes(map);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A mutable map of alternating keys and values, in order. */
  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  /** A length-prefixed frame around {@code body}. */
  static byte[] frame(byte[] body) {
    byte[] out = new byte[4 + body.length];
    out[0] = (byte) (body.length >>> 24);
    out[1] = (byte) (body.length >>> 16);
    out[2] = (byte) (body.length >>> 8);
    out[3] = (byte) body.length;
    System.arraycopy(body, 0, out, 4, body.length);
    return out;
  }
}
