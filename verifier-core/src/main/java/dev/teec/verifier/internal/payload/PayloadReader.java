package dev.teec.verifier.internal.payload;

import static dev.teec.verifier.CheckId.PAYLOAD_CABUNDLE;
import static dev.teec.verifier.CheckId.PAYLOAD_CERTIFICATE;
import static dev.teec.verifier.CheckId.PAYLOAD_DIGEST;
import static dev.teec.verifier.CheckId.PAYLOAD_KIND;
import static dev.teec.verifier.CheckId.PAYLOAD_MAP;
import static dev.teec.verifier.CheckId.PAYLOAD_MODULE_ID;
import static dev.teec.verifier.CheckId.PAYLOAD_NONCE;
import static dev.teec.verifier.CheckId.PAYLOAD_PCRS;
import static dev.teec.verifier.CheckId.PAYLOAD_PUBLIC_KEY;
import static dev.teec.verifier.CheckId.PAYLOAD_TIMESTAMP;
import static dev.teec.verifier.CheckId.PAYLOAD_UNKNOWN_KEYS;
import static dev.teec.verifier.CheckId.PAYLOAD_USER_DATA;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.DocumentKind;
import dev.teec.verifier.internal.CheckRecorder;
import dev.teec.verifier.internal.cbor.CborFormatException;
import dev.teec.verifier.internal.cbor.StrictCbor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the attestation payload map (SPEC.md V3) and records one check per field. A document value
 * is produced only when every mandatory field is valid.
 */
public final class PayloadReader {
  public static final int MAX_FIELD_BYTES = 1024;
  public static final int MAX_PCRS = 32;

  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "module_id",
          "digest",
          "timestamp",
          "pcrs",
          "nitrotpm_pcrs",
          "certificate",
          "cabundle",
          "public_key",
          "user_data",
          "nonce");

  private PayloadReader() {}

  /** Decodes and checks the payload; empty when any mandatory field is invalid. */
  public static Optional<AttestationDocument> read(byte[] payload, CheckRecorder rec) {
    CBORObject map;
    try {
      map = StrictCbor.decode(payload, "the payload", true);
    } catch (CborFormatException e) {
      rec.fail(PAYLOAD_MAP, e.getMessage());
      return Optional.empty();
    }
    Optional<String> tag = StrictCbor.findTag(map, "payload");
    if (tag.isPresent()) {
      rec.fail(PAYLOAD_MAP, "unexpected CBOR " + tag.get());
      return Optional.empty();
    }
    if (map.getType() != CBORType.Map) {
      rec.fail(PAYLOAD_MAP, "the payload must be a CBOR map; found " + StrictCbor.typeName(map));
      return Optional.empty();
    }
    rec.pass(PAYLOAD_MAP, "the payload is a CBOR map of " + map.size() + " entries");

    boolean hasPcrs = map.ContainsKey("pcrs");
    boolean hasTpmPcrs = map.ContainsKey("nitrotpm_pcrs");
    DocumentKind kind = null;
    if (hasPcrs && hasTpmPcrs) {
      rec.fail(PAYLOAD_KIND, "the payload has both 'pcrs' and 'nitrotpm_pcrs'");
    } else if (hasTpmPcrs) {
      kind = DocumentKind.NITRO_TPM;
      rec.pass(PAYLOAD_KIND, "NitroTPM attestation document (nitrotpm_pcrs)");
    } else {
      kind = DocumentKind.NITRO_ENCLAVE;
      rec.pass(PAYLOAD_KIND, "Nitro Enclaves attestation document (pcrs)");
    }

    String moduleId = text(map, "module_id", PAYLOAD_MODULE_ID, rec);
    String digest = digest(map, rec);
    Instant timestamp = timestamp(map, rec);
    SortedMap<Integer, Bytes> pcrs =
        pcrs(map, kind == DocumentKind.NITRO_TPM ? "nitrotpm_pcrs" : "pcrs", rec);
    Bytes certificate = bytes(map, "certificate", PAYLOAD_CERTIFICATE, 1, rec);
    List<Bytes> cabundle = cabundle(map, rec);
    // Zero-length public_key, user_data and nonce are present but empty: the NSM copies what the
    // application passed, and a real 2021 document carries an empty public_key.
    Optional<Bytes> publicKey = optionalBytes(map, "public_key", PAYLOAD_PUBLIC_KEY, 0, rec);
    Optional<Bytes> userData = optionalBytes(map, "user_data", PAYLOAD_USER_DATA, 0, rec);
    Optional<Bytes> nonce = optionalBytes(map, "nonce", PAYLOAD_NONCE, 0, rec);

    List<String> unknown = new ArrayList<>();
    for (CBORObject key : map.getKeys()) {
      if (key.getType() != CBORType.TextString || !KNOWN_KEYS.contains(key.AsString())) {
        unknown.add(StrictCbor.describeKey(key));
      }
    }
    if (unknown.isEmpty()) {
      rec.pass(PAYLOAD_UNKNOWN_KEYS, "no unknown payload keys");
    } else {
      rec.warn(
          PAYLOAD_UNKNOWN_KEYS, "payload keys not in the AWS specification (ignored): " + unknown);
    }

    if (kind == null
        || moduleId == null
        || digest == null
        || timestamp == null
        || pcrs == null
        || certificate == null
        || cabundle == null
        || publicKey == null
        || userData == null
        || nonce == null) {
      return Optional.empty();
    }
    return Optional.of(
        new AttestationDocument(
            kind,
            moduleId,
            digest,
            timestamp,
            pcrs,
            certificate,
            cabundle,
            publicKey,
            userData,
            nonce,
            unknown));
  }

  /** The value of a mandatory key, or null after recording why it is missing or null. */
  private static CBORObject mandatory(CBORObject map, String key, CheckId id, CheckRecorder rec) {
    CBORObject v = map.get(key);
    if (v == null) {
      rec.fail(id, "mandatory field '" + key + "' is missing");
      return null;
    }
    if (v.isNull()) {
      rec.fail(id, "mandatory field '" + key + "' is null");
      return null;
    }
    return v;
  }

  private static String text(CBORObject map, String key, CheckId id, CheckRecorder rec) {
    CBORObject v = mandatory(map, key, id, rec);
    if (v == null) {
      return null;
    }
    if (v.getType() != CBORType.TextString || v.AsString().isEmpty()) {
      rec.fail(
          id,
          "'"
              + key
              + "' must be a non-empty text string; found "
              + (v.getType() == CBORType.TextString ? "an empty string" : StrictCbor.typeName(v)));
      return null;
    }
    rec.pass(id, key + " = " + v.AsString());
    return v.AsString();
  }

  private static String digest(CBORObject map, CheckRecorder rec) {
    CBORObject v = mandatory(map, "digest", PAYLOAD_DIGEST, rec);
    if (v == null) {
      return null;
    }
    String actual = v.getType() == CBORType.TextString ? v.AsString() : StrictCbor.typeName(v);
    if (!"SHA384".equals(actual)) {
      rec.fail(PAYLOAD_DIGEST, "digest must be \"SHA384\"", "SHA384", actual);
      return null;
    }
    rec.pass(PAYLOAD_DIGEST, "digest is SHA384", "SHA384", actual);
    return actual;
  }

  private static Instant timestamp(CBORObject map, CheckRecorder rec) {
    CBORObject v = mandatory(map, "timestamp", PAYLOAD_TIMESTAMP, rec);
    if (v == null) {
      return null;
    }
    if (v.getType() != CBORType.Integer || !v.CanValueFitInInt64() || v.AsInt64Value() <= 0) {
      rec.fail(
          PAYLOAD_TIMESTAMP,
          "timestamp must be an unsigned integer > 0 (milliseconds since 1970); found "
              + (v.getType() == CBORType.Integer
                  ? v.AsEIntegerValue().toString()
                  : StrictCbor.typeName(v)));
      return null;
    }
    Instant t = Instant.ofEpochMilli(v.AsInt64Value());
    rec.pass(PAYLOAD_TIMESTAMP, "timestamp = " + t);
    return t;
  }

  private static SortedMap<Integer, Bytes> pcrs(CBORObject map, String key, CheckRecorder rec) {
    CBORObject v = mandatory(map, key, PAYLOAD_PCRS, rec);
    if (v == null) {
      return null;
    }
    if (v.getType() != CBORType.Map) {
      rec.fail(PAYLOAD_PCRS, "'" + key + "' must be a map; found " + StrictCbor.typeName(v));
      return null;
    }
    if (v.size() < 1 || v.size() > MAX_PCRS) {
      rec.fail(
          PAYLOAD_PCRS,
          "'" + key + "' must have 1.." + MAX_PCRS + " entries; found " + v.size(),
          "1.." + MAX_PCRS,
          String.valueOf(v.size()));
      return null;
    }
    SortedMap<Integer, Bytes> out = new TreeMap<>();
    for (CBORObject k : v.getKeys()) {
      if (k.getType() != CBORType.Integer
          || !k.CanValueFitInInt32()
          || k.AsInt32Value() < 0
          || k.AsInt32Value() >= MAX_PCRS) {
        rec.fail(
            PAYLOAD_PCRS,
            "PCR index must be an integer 0.."
                + (MAX_PCRS - 1)
                + "; found "
                + StrictCbor.describeKey(k));
        return null;
      }
      int index = k.AsInt32Value();
      CBORObject value = v.get(k);
      int n = value.getType() == CBORType.ByteString ? value.GetByteString().length : -1;
      if (n != 32 && n != 48 && n != 64) {
        rec.fail(
            PAYLOAD_PCRS,
            "PCR"
                + index
                + " must be a byte string of 32, 48 or 64 bytes; found "
                + (n < 0 ? StrictCbor.typeName(value) : n + " bytes"));
        return null;
      }
      out.put(index, Bytes.of(value.GetByteString()));
    }
    rec.pass(PAYLOAD_PCRS, out.size() + " PCRs, indexes " + out.firstKey() + ".." + out.lastKey());
    return out;
  }

  private static Bytes bytes(CBORObject map, String key, CheckId id, int min, CheckRecorder rec) {
    CBORObject v = mandatory(map, key, id, rec);
    if (v == null) {
      return null;
    }
    String problem = byteStringProblem(v, min);
    if (problem != null) {
      rec.fail(id, "'" + key + "' " + problem);
      return null;
    }
    rec.pass(id, key + " is " + v.GetByteString().length + " bytes");
    return Bytes.of(v.GetByteString());
  }

  private static List<Bytes> cabundle(CBORObject map, CheckRecorder rec) {
    CBORObject v = mandatory(map, "cabundle", PAYLOAD_CABUNDLE, rec);
    if (v == null) {
      return null;
    }
    if (v.getType() != CBORType.Array || v.size() == 0) {
      rec.fail(
          PAYLOAD_CABUNDLE,
          "'cabundle' must be a non-empty array of certificates; found "
              + (v.getType() == CBORType.Array ? "an empty array" : StrictCbor.typeName(v)));
      return null;
    }
    List<Bytes> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      String problem = byteStringProblem(v.get(i), 1);
      if (problem != null) {
        rec.fail(PAYLOAD_CABUNDLE, "cabundle[" + i + "] " + problem);
        return null;
      }
      out.add(Bytes.of(v.get(i).GetByteString()));
    }
    rec.pass(PAYLOAD_CABUNDLE, "cabundle has " + out.size() + " certificates");
    return out;
  }

  /**
   * An optional field: absent or CBOR null both mean "not present" (real documents use null).
   * Returns null (not empty) when the field is present but invalid.
   */
  private static Optional<Bytes> optionalBytes(
      CBORObject map, String key, CheckId id, int min, CheckRecorder rec) {
    CBORObject v = map.get(key);
    if (v == null || v.isNull()) {
      rec.pass(id, key + " is " + (v == null ? "absent" : "null (not present)"));
      return Optional.empty();
    }
    String problem = byteStringProblem(v, min);
    if (problem != null) {
      rec.fail(id, "'" + key + "' " + problem);
      return null;
    }
    rec.pass(id, key + " is " + v.GetByteString().length + " bytes");
    return Optional.of(Bytes.of(v.GetByteString()));
  }

  private static String byteStringProblem(CBORObject v, int min) {
    if (v.getType() != CBORType.ByteString) {
      return "must be a byte string; found " + StrictCbor.typeName(v);
    }
    int n = v.GetByteString().length;
    if (n < min || n > MAX_FIELD_BYTES) {
      return "has " + n + " bytes; allowed are " + min + ".." + MAX_FIELD_BYTES;
    }
    return null;
  }
}
