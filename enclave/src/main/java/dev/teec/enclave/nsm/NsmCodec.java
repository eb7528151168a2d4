package dev.teec.enclave.nsm;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import dev.teec.json.BoundedCbor;
import dev.teec.json.JsonLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The CBOR messages exchanged with the NSM for an attestation, encoded exactly as the AWS NSM API
 * (Rust serde, externally tagged enums) does:
 *
 * <ul>
 *   <li>request: {@code {"Attestation": {"user_data": bstr/null, "nonce": bstr/null, "public_key":
 *       bstr/null}}}, definite-length maps, keys in this order, shortest heads;
 *   <li>response: {@code {"Attestation": {"document": bstr}}} or {@code {"Error": "<code>"}}.
 * </ul>
 *
 * <p>Decoding is strict about structure and reports what is wrong and where: one map with one
 * entry, byte strings where byte strings belong, no CBOR tags, nothing after the item. Unknown keys
 * inside the Attestation response body are skipped, as the AWS client does, so that a field added
 * by AWS does not break attestation. Stateless and thread-safe.
 */
public final class NsmCodec {
  /** The driver's request limit ({@code NSM_REQUEST_MAX_SIZE}, 0x1000). */
  public static final int MAX_REQUEST_BYTES = 0x1000;

  /** The driver's response limit ({@code NSM_RESPONSE_MAX_SIZE}, 0x3000). */
  public static final int MAX_RESPONSE_BYTES = 0x3000;

  private static final String ATTESTATION = "Attestation";
  private static final String ERROR = "Error";
  private static final String DOCUMENT = "document";
  private static final String[] REQUEST_FIELDS = {"user_data", "nonce", "public_key"};

  // A factory is immutable once built and thread-safe; parsers and generators are per call.
  private static final CBORFactory FACTORY =
      BoundedCbor.factory(JsonLimits.of(MAX_RESPONSE_BYTES).withMaxNesting(4));

  private NsmCodec() {}

  /** The request bytes for {@code request}; always at most {@link #MAX_REQUEST_BYTES}. */
  public static byte[] encodeAttestationRequest(AttestationRequest request) {
    return write(
        g -> {
          g.writeStartObject(null, 1);
          g.writeFieldName(ATTESTATION);
          g.writeStartObject(null, REQUEST_FIELDS.length);
          writeBytesOrNull(g, REQUEST_FIELDS[0], request.userData());
          writeBytesOrNull(g, REQUEST_FIELDS[1], request.nonce());
          writeBytesOrNull(g, REQUEST_FIELDS[2], request.publicKey());
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /**
   * Reads an Attestation request, as the NSM does. Absent fields count as null (serde's rule for
   * Option fields); unknown or repeated fields are refused.
   *
   * @throws NsmException with {@link NsmErrorCode#INPUT_TOO_LARGE} for more than {@link
   *     #MAX_REQUEST_BYTES} or a field over its limit, {@link NsmErrorCode#INVALID_OPERATION} for
   *     another request variant, {@link NsmErrorCode#INVALID_ARGUMENT} for anything malformed
   */
  public static AttestationRequest decodeAttestationRequest(byte[] bytes) throws NsmException {
    if (bytes.length > MAX_REQUEST_BYTES) {
      throw new NsmException(
          "NSM request is "
              + bytes.length
              + " bytes, more than the "
              + MAX_REQUEST_BYTES
              + " the driver accepts",
          NsmErrorCode.INPUT_TOO_LARGE);
    }
    Reader r = new Reader(bytes, "NSM request", NsmErrorCode.INVALID_ARGUMENT);
    try {
      JsonToken first = r.next();
      if (first == JsonToken.VALUE_STRING) {
        // serde writes a variant without fields (DescribeNSM, GetRandom) as a bare string.
        throw new NsmException(
            "NSM request is "
                + describeVariant(r.parser.getText())
                + "; only Attestation is supported",
            NsmErrorCode.INVALID_OPERATION);
      }
      r.expect(first, JsonToken.START_OBJECT, "the request");
      String variant = r.fieldName("the request map");
      if (!variant.equals(ATTESTATION)) {
        throw new NsmException(
            "NSM request is " + describeVariant(variant) + "; only Attestation is supported",
            NsmErrorCode.INVALID_OPERATION);
      }
      r.expect(r.next(), JsonToken.START_OBJECT, "the Attestation request body");
      Map<String, byte[]> fields = new HashMap<>();
      for (JsonToken t = r.next(); t != JsonToken.END_OBJECT; t = r.next()) {
        r.expect(t, JsonToken.FIELD_NAME, "the Attestation request body");
        String name = r.parser.currentName();
        if (!isRequestField(name)) {
          throw r.error("the Attestation request has an unknown field '" + name + "'");
        }
        if (fields.containsKey(name)) {
          throw r.error("the Attestation request has the field '" + name + "' twice");
        }
        fields.put(name, r.bytesOrNull(name));
      }
      r.endOfMap("the request map");
      r.end();
      try {
        return new AttestationRequest(
            fields.get("user_data"), fields.get("nonce"), fields.get("public_key"));
      } catch (IllegalArgumentException e) {
        throw new NsmException("NSM request: " + e.getMessage(), NsmErrorCode.INPUT_TOO_LARGE);
      }
    } catch (IOException e) {
      throw r.malformed(e);
    }
  }

  /** The response bytes carrying {@code document}. */
  public static byte[] encodeAttestationResponse(byte[] document) {
    return write(
        g -> {
          g.writeStartObject(null, 1);
          g.writeFieldName(ATTESTATION);
          g.writeStartObject(null, 1);
          g.writeFieldName(DOCUMENT);
          g.writeBinary(document);
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  /** The response bytes for an NSM error, {@code {"Error": "<wire name>"}}. */
  public static byte[] encodeErrorResponse(NsmErrorCode code) {
    return write(
        g -> {
          g.writeStartObject(null, 1);
          g.writeFieldName(ERROR);
          g.writeString(code.wireName());
          g.writeEndObject();
        });
  }

  /**
   * The attestation document in an NSM response.
   *
   * @throws NsmException if the response is an Error (then {@link NsmException#errorCode()} is the
   *     code, when known), another response variant, or malformed
   */
  public static byte[] decodeAttestationResponse(byte[] bytes) throws NsmException {
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new NsmException(
          "NSM response is "
              + bytes.length
              + " bytes, more than the "
              + MAX_RESPONSE_BYTES
              + " the driver allows");
    }
    Reader r = new Reader(bytes, "NSM response", null);
    try {
      JsonToken first = r.next();
      if (first == JsonToken.VALUE_STRING) {
        throw r.error(
            "it is the unit variant " + r.parser.getText() + ", expected Attestation or Error");
      }
      r.expect(first, JsonToken.START_OBJECT, "the response");
      String variant = r.fieldName("the response map");
      byte[] document;
      switch (variant) {
        case ATTESTATION -> document = r.attestationBody();
        case ERROR -> {
          r.expect(r.next(), JsonToken.VALUE_STRING, "the Error value");
          String name = r.parser.getText();
          NsmErrorCode code = NsmErrorCode.fromWireName(name).orElse(null);
          r.endOfMap("the response map");
          r.end();
          if (code == null) {
            throw new NsmException("NSM returned an unknown error code '" + name + "'");
          }
          throw new NsmException(
              "NSM returned error " + code.wireName() + " (" + code.meaning() + ")", code);
        }
        default ->
            throw r.error("it is " + describeVariant(variant) + ", expected Attestation or Error");
      }
      r.endOfMap("the response map");
      r.end();
      return document;
    } catch (IOException e) {
      throw r.malformed(e);
    }
  }

  private static boolean isRequestField(String name) {
    for (String f : REQUEST_FIELDS) {
      if (f.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String describeVariant(String variant) {
    return "the variant '" + variant + "'";
  }

  private static void writeBytesOrNull(CBORGenerator g, String name, byte[] value)
      throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      g.writeBinary(value);
    }
  }

  private interface Body {
    void write(CBORGenerator g) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode an NSM message in memory", e);
    }
    return out.toByteArray();
  }

  /** A strict pull reader over one message; errors name the message and the byte offset. */
  private static final class Reader {
    private final CBORParser parser;
    private final String what;
    private final NsmErrorCode code;

    Reader(byte[] bytes, String what, NsmErrorCode code) {
      try {
        this.parser = FACTORY.createParser(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read a byte array", e);
      }
      this.what = what;
      this.code = code;
    }

    JsonToken next() throws IOException, NsmException {
      JsonToken t = parser.nextToken();
      if (parser.getCurrentTag() >= 0) {
        throw error(
            "it has CBOR tag "
                + parser.getCurrentTag()
                + " at byte "
                + offset()
                + "; NSM messages have no tags");
      }
      return t;
    }

    void expect(JsonToken actual, JsonToken expected, String where) throws NsmException {
      if (actual != expected) {
        throw error(
            where
                + " is "
                + name(actual)
                + " at byte "
                + offset()
                + ", expected "
                + name(expected));
      }
    }

    String fieldName(String where) throws IOException, NsmException {
      JsonToken t = next();
      if (t == JsonToken.END_OBJECT) {
        throw error(where + " is empty, expected one entry");
      }
      expect(t, JsonToken.FIELD_NAME, where);
      return parser.currentName();
    }

    byte[] bytesOrNull(String field) throws IOException, NsmException {
      JsonToken t = next();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_EMBEDDED_OBJECT) {
        throw error(
            "'"
                + field
                + "' is "
                + name(t)
                + " at byte "
                + offset()
                + ", expected a byte string or null");
      }
      return parser.getBinaryValue();
    }

    byte[] attestationBody() throws IOException, NsmException {
      expect(next(), JsonToken.START_OBJECT, "the Attestation response body");
      byte[] document = null;
      for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
        expect(t, JsonToken.FIELD_NAME, "the Attestation response body");
        String name = parser.currentName();
        if (!name.equals(DOCUMENT)) {
          // AWS may add fields; its own client ignores unknown ones too.
          next();
          parser.skipChildren();
          continue;
        }
        if (document != null) {
          throw error("the Attestation response has 'document' twice");
        }
        JsonToken v = next();
        if (v != JsonToken.VALUE_EMBEDDED_OBJECT) {
          throw error(
              "'document' is " + name(v) + " at byte " + offset() + ", expected a byte string");
        }
        document = parser.getBinaryValue();
      }
      if (document == null) {
        throw error("the Attestation response has no 'document'");
      }
      if (document.length == 0) {
        throw error("the Attestation response's 'document' is empty");
      }
      return document;
    }

    void endOfMap(String where) throws IOException, NsmException {
      JsonToken t = next();
      if (t != JsonToken.END_OBJECT) {
        throw error(where + " has more than one entry (another at byte " + offset() + ")");
      }
    }

    void end() throws IOException, NsmException {
      long at = parser.currentLocation().getByteOffset();
      if (next() != null) {
        throw error("bytes follow the message at byte " + at);
      }
    }

    NsmException error(String detail) {
      return new NsmException("malformed " + what + ": " + detail, code, null);
    }

    NsmException malformed(IOException e) {
      String detail = e instanceof StreamReadException s ? s.getOriginalMessage() : e.getMessage();
      return new NsmException(
          "malformed " + what + ": invalid CBOR at byte " + offset() + " (" + detail + ")",
          code,
          e);
    }

    private long offset() {
      return parser.currentTokenLocation().getByteOffset();
    }

    private static String name(JsonToken t) {
      if (t == null) {
        return "the end of input";
      }
      return switch (t) {
        case START_OBJECT -> "a map";
        case END_OBJECT -> "the end of a map";
        case START_ARRAY -> "an array";
        case END_ARRAY -> "the end of an array";
        case FIELD_NAME -> "a map key";
        case VALUE_EMBEDDED_OBJECT -> "a byte string";
        case VALUE_STRING -> "a text string";
        case VALUE_NUMBER_INT -> "an integer";
        case VALUE_NUMBER_FLOAT -> "a floating-point number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> t.toString();
      };
    }
  }
}
