package dev.teec.generator;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an attestation document says, and how its payload and protected header are encoded. The
 * defaults give what the AWS NSM gives: a definite-length payload map with the keys in the NSM's
 * order ({@code module_id, digest, timestamp, pcrs, certificate, cabundle, public_key, user_data,
 * nonce}), digest {@code SHA384}, CBOR null for absent optional fields, and the protected header
 * {@code {1: -35}} (ES384). The certificate and cabundle are supplied when signing, by {@link
 * DocumentSigner}.
 *
 * <p>The remaining builder methods are knobs for malformed variants: omitted or extra (even
 * duplicate) keys, another key order, an indefinite-length map, bytes after the map, another
 * protected header. Immutable.
 */
public final class DocumentSpec {
  /** The protected header every AWS document has: {@code {1: -35}}, bytes {@code a1 01 38 22}. */
  public static final CborWriter.Item ES384_PROTECTED_HEADER =
      CborWriter.map(CborWriter.entry(1, CborWriter.integer(-35)));

  private final String moduleId;
  private final String digest;
  private final long timestampMillis;
  private final Map<Integer, byte[]> pcrs;
  private final boolean nitroTpm;
  private final byte[] publicKey;
  private final byte[] userData;
  private final byte[] nonce;
  private final Set<String> omitted;
  private final List<Map.Entry<String, CborWriter.Item>> extraEntries;
  private final List<String> keyOrder;
  private final boolean indefiniteLength;
  private final byte[] trailingBytes;
  private final CborWriter.Item protectedHeader;

  private DocumentSpec(Builder b) {
    this.moduleId = b.moduleId;
    this.digest = b.digest;
    this.timestampMillis = b.timestampMillis;
    this.pcrs = b.pcrs == null ? null : copy(b.pcrs);
    this.nitroTpm = b.nitroTpm;
    this.publicKey = clone(b.publicKey);
    this.userData = clone(b.userData);
    this.nonce = clone(b.nonce);
    this.omitted = Collections.unmodifiableSet(new LinkedHashSet<>(b.omitted));
    this.extraEntries = List.copyOf(b.extraEntries);
    this.keyOrder = List.copyOf(b.keyOrder);
    this.indefiniteLength = b.indefiniteLength;
    this.trailingBytes = b.trailingBytes.clone();
    this.protectedHeader = b.protectedHeader;
  }

  /**
   * A builder with the three values every document needs and no default could sensibly supply.
   *
   * @param moduleId the NSM module id, for example {@link SimulatedChain#moduleId()}
   * @param timestamp the document's creation time (kept to the millisecond)
   * @param pcrs PCR values by index, encoded in this map's iteration order
   */
  public static Builder builder(String moduleId, Instant timestamp, Map<Integer, byte[]> pcrs) {
    return new Builder().moduleId(moduleId).timestamp(timestamp).pcrs(pcrs);
  }

  /** A builder holding this spec's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.moduleId = moduleId;
    b.digest = digest;
    b.timestampMillis = timestampMillis;
    b.pcrs = pcrs;
    b.nitroTpm = nitroTpm;
    b.publicKey = publicKey;
    b.userData = userData;
    b.nonce = nonce;
    b.omitted.addAll(omitted);
    b.extraEntries.addAll(extraEntries);
    b.keyOrder.addAll(keyOrder);
    b.indefiniteLength = indefiniteLength;
    b.trailingBytes = trailingBytes;
    b.protectedHeader = protectedHeader;
    return b;
  }

  /** The encoded protected header: the bytes that are signed and carried in the envelope. */
  byte[] encodeProtectedHeader() {
    return protectedHeader.encode();
  }

  /** The payload bytes: the map for this spec with {@code certificate} and {@code cabundle}. */
  byte[] encodePayload(byte[] certificate, List<byte[]> cabundle) {
    List<Map.Entry<String, CborWriter.Item>> entries = new ArrayList<>();
    entries.add(Map.entry("module_id", textOrNull(moduleId)));
    entries.add(Map.entry("digest", textOrNull(digest)));
    entries.add(Map.entry("timestamp", CborWriter.integer(timestampMillis)));
    entries.add(Map.entry(nitroTpm ? "nitrotpm_pcrs" : "pcrs", pcrMap()));
    entries.add(Map.entry("certificate", CborWriter.bytes(certificate)));
    entries.add(
        Map.entry("cabundle", CborWriter.array(cabundle.stream().map(CborWriter::bytes).toList())));
    entries.add(Map.entry("public_key", bytesOrNull(publicKey)));
    entries.add(Map.entry("user_data", bytesOrNull(userData)));
    entries.add(Map.entry("nonce", bytesOrNull(nonce)));
    entries.removeIf(e -> omitted.contains(e.getKey()));
    entries.addAll(extraEntries);
    // Stable sort: listed keys first in the listed order, the rest after them as they were.
    entries.sort(
        Comparator.comparingInt(
            e -> {
              int i = keyOrder.indexOf(e.getKey());
              return i < 0 ? Integer.MAX_VALUE : i;
            }));

    List<CborWriter.Entry> map =
        entries.stream().map(e -> CborWriter.entry(e.getKey(), e.getValue())).toList();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    (indefiniteLength ? CborWriter.indefiniteMap(map) : CborWriter.map(map)).writeTo(out);
    out.writeBytes(trailingBytes);
    return out.toByteArray();
  }

  private CborWriter.Item pcrMap() {
    if (pcrs == null) {
      return CborWriter.nul();
    }
    List<CborWriter.Entry> entries = new ArrayList<>();
    pcrs.forEach((index, value) -> entries.add(CborWriter.entry(index, CborWriter.bytes(value))));
    return CborWriter.map(entries);
  }

  private static CborWriter.Item textOrNull(String s) {
    return s == null ? CborWriter.nul() : CborWriter.text(s);
  }

  private static CborWriter.Item bytesOrNull(byte[] b) {
    return b == null ? CborWriter.nul() : CborWriter.bytes(b);
  }

  private static byte[] clone(byte[] b) {
    return b == null ? null : b.clone();
  }

  private static Map<Integer, byte[]> copy(Map<Integer, byte[]> pcrs) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    pcrs.forEach(
        (index, value) -> out.put(Objects.requireNonNull(index, "PCR index"), value.clone()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Builder for {@link DocumentSpec}. For the fields of the AWS format, {@code null} means "write
   * CBOR null", as the NSM does for absent optional fields; use {@link #omit(String)} to leave a
   * key out entirely.
   */
  public static final class Builder {
    private String moduleId;
    private String digest = "SHA384";
    private long timestampMillis;
    private Map<Integer, byte[]> pcrs;
    private boolean nitroTpm;
    private byte[] publicKey;
    private byte[] userData;
    private byte[] nonce;
    private final Set<String> omitted = new LinkedHashSet<>();
    private final List<Map.Entry<String, CborWriter.Item>> extraEntries = new ArrayList<>();
    private final List<String> keyOrder = new ArrayList<>();
    private boolean indefiniteLength;
    private byte[] trailingBytes = new byte[0];
    private CborWriter.Item protectedHeader = ES384_PROTECTED_HEADER;

    private Builder() {}

    public Builder moduleId(String moduleId) {
      this.moduleId = moduleId;
      return this;
    }

    /** The digest name; AWS always writes {@code SHA384}. */
    public Builder digest(String digest) {
      this.digest = digest;
      return this;
    }

    /** Creation time, written as milliseconds since 1970; {@link Instant#EPOCH} writes 0. */
    public Builder timestamp(Instant timestamp) {
      this.timestampMillis = timestamp.toEpochMilli();
      return this;
    }

    /**
     * PCR values by index, encoded in the map's iteration order; arrays are copied at build time.
     */
    public Builder pcrs(Map<Integer, byte[]> pcrs) {
      this.pcrs = pcrs == null ? null : new LinkedHashMap<>(pcrs);
      return this;
    }

    /** Names the PCR map {@code nitrotpm_pcrs}, as NitroTPM attestation documents do. */
    public Builder nitroTpm() {
      this.nitroTpm = true;
      return this;
    }

    public Builder publicKey(byte[] publicKey) {
      this.publicKey = publicKey;
      return this;
    }

    public Builder userData(byte[] userData) {
      this.userData = userData;
      return this;
    }

    public Builder nonce(byte[] nonce) {
      this.nonce = nonce;
      return this;
    }

    /** Leaves {@code key} out of the payload map. */
    public Builder omit(String key) {
      omitted.add(Objects.requireNonNull(key, "key"));
      return this;
    }

    /** Appends an entry after the standard ones, even if a key of that name is already present. */
    public Builder extraEntry(String key, CborWriter.Item value) {
      extraEntries.add(
          Map.entry(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value")));
      return this;
    }

    /** Puts these keys first, in this order; the other keys follow in their usual order. */
    public Builder keyOrder(List<String> keys) {
      keyOrder.clear();
      keyOrder.addAll(keys);
      return this;
    }

    /** Encodes the payload as an indefinite-length map ({@code 0xbf ... 0xff}). */
    public Builder indefiniteLengthMap() {
      this.indefiniteLength = true;
      return this;
    }

    /** Bytes appended after the payload map, inside the payload byte string. */
    public Builder trailingBytes(byte[] bytes) {
      this.trailingBytes = bytes.clone();
      return this;
    }

    /** Replaces the protected header {@code {1: -35}}; the replacement is what gets signed. */
    public Builder protectedHeader(CborWriter.Item header) {
      this.protectedHeader = Objects.requireNonNull(header, "header");
      return this;
    }

    public DocumentSpec build() {
      return new DocumentSpec(this);
    }
  }
}
