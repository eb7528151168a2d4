package dev.teec.verifier;

import dev.teec.verifier.internal.policy.PolicyJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a verified document must additionally satisfy beyond authenticity. Policies fail closed: a
 * pinned PCR must be present, an allowed-set list may not be empty, debug-mode documents are
 * rejected unless {@link Builder#allowDebug()} is called, and NitroTPM documents (an EC2 instance's
 * boot measurements, not an enclave) unless {@link Builder#allowNitroTpm()} is.
 *
 * <p>The JSON form is described in SPEC.md (section V7) and read by {@link #fromJson(InputStream)}.
 */
public final class Policy {
  /** The strictest policy: no PCR expectations, debug and NitroTPM documents rejected. */
  public static final Policy DEFAULT = builder().build();

  private static final int MAX_PCR_INDEX = 31;

  private final SortedMap<Integer, Bytes> expectedPcrs;
  private final List<SortedMap<Integer, Bytes>> allowedPcrSets;
  private final boolean allowDebug;
  private final boolean allowNitroTpm;
  private final Bytes expectedUserData;
  private final Bytes expectedNonce;
  private final Bytes expectedPublicKey;

  private Policy(Builder b) {
    this.expectedPcrs = Collections.unmodifiableSortedMap(new TreeMap<>(b.expectedPcrs));
    this.allowedPcrSets = b.allowedPcrSets == null ? null : List.copyOf(b.allowedPcrSets);
    this.allowDebug = b.allowDebug;
    this.allowNitroTpm = b.allowNitroTpm;
    this.expectedUserData = b.expectedUserData;
    this.expectedNonce = b.expectedNonce;
    this.expectedPublicKey = b.expectedPublicKey;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this policy's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.expectedPcrs.putAll(expectedPcrs);
    b.allowedPcrSets = allowedPcrSets == null ? null : new ArrayList<>(allowedPcrSets);
    b.allowDebug = allowDebug;
    b.allowNitroTpm = allowNitroTpm;
    b.expectedUserData = expectedUserData;
    b.expectedNonce = expectedNonce;
    b.expectedPublicKey = expectedPublicKey;
    return b;
  }

  /**
   * Reads a policy from its JSON form. Unknown keys, duplicate keys, malformed hex and an empty
   * {@code allowedPcrSets} are rejected.
   *
   * @throws PolicyFormatException naming the JSON path of the first problem
   * @throws IOException if the stream cannot be read
   */
  public static Policy fromJson(InputStream json) throws IOException {
    return PolicyJson.read(json);
  }

  /** PCR values that must be present with exactly these values, by index. */
  public SortedMap<Integer, Bytes> expectedPcrs() {
    return expectedPcrs;
  }

  /** When present, the document's PCRs must match every entry of at least one of these sets. */
  public Optional<List<SortedMap<Integer, Bytes>>> allowedPcrSets() {
    return Optional.ofNullable(allowedPcrSets);
  }

  public boolean allowDebug() {
    return allowDebug;
  }

  /** Whether NitroTPM documents are accepted (with a warning) where an enclave is expected. */
  public boolean allowNitroTpm() {
    return allowNitroTpm;
  }

  public Optional<Bytes> expectedUserData() {
    return Optional.ofNullable(expectedUserData);
  }

  public Optional<Bytes> expectedNonce() {
    return Optional.ofNullable(expectedNonce);
  }

  public Optional<Bytes> expectedPublicKey() {
    return Optional.ofNullable(expectedPublicKey);
  }

  /** Accumulates policy settings; {@link #build()} rejects contradictory or empty settings. */
  public static final class Builder {
    private final SortedMap<Integer, Bytes> expectedPcrs = new TreeMap<>();
    private List<SortedMap<Integer, Bytes>> allowedPcrSets;
    private boolean allowDebug;
    private boolean allowNitroTpm;
    private Bytes expectedUserData;
    private Bytes expectedNonce;
    private Bytes expectedPublicKey;

    private Builder() {}

    /**
     * Pins PCR {@code index} to {@code value}.
     *
     * @throws IllegalArgumentException if the index is outside 0..31, the value is not 32, 48 or 64
     *     bytes, or the index was already pinned to a different value
     */
    public Builder expectPcr(int index, Bytes value) {
      checkPcr(index, value);
      Bytes previous = expectedPcrs.putIfAbsent(index, value);
      if (previous != null && !previous.equals(value)) {
        throw new IllegalArgumentException(
            "PCR" + index + " is pinned twice with different values");
      }
      return this;
    }

    /**
     * Adds one allowed PCR set: a document matches it when every listed PCR is present with the
     * listed value.
     *
     * @throws IllegalArgumentException if the set is empty or holds an invalid index or value
     */
    public Builder allowPcrSet(Map<Integer, Bytes> set) {
      if (set.isEmpty()) {
        throw new IllegalArgumentException("an allowed PCR set must list at least one PCR");
      }
      set.forEach(Policy::checkPcr);
      if (allowedPcrSets == null) {
        allowedPcrSets = new ArrayList<>();
      }
      allowedPcrSets.add(Collections.unmodifiableSortedMap(new TreeMap<>(set)));
      return this;
    }

    /**
     * Replaces the allowed PCR sets.
     *
     * @throws IllegalArgumentException if {@code sets} is empty: an empty list would allow nothing,
     *     and is refused rather than read as "allow all"
     */
    public Builder allowedPcrSets(List<? extends Map<Integer, Bytes>> sets) {
      if (sets.isEmpty()) {
        throw new IllegalArgumentException(
            "allowedPcrSets is empty; omit it to pin no sets, an empty list is never 'allow all'");
      }
      allowedPcrSets = null;
      sets.forEach(this::allowPcrSet);
      return this;
    }

    /**
     * Accept debug-mode documents (PCR0, PCR1 and PCR2 all zero); they are reported as a warning.
     */
    public Builder allowDebug() {
      this.allowDebug = true;
      return this;
    }

    /**
     * Accept NitroTPM documents, reported as a warning naming the kind. They are signed under the
     * same AWS root as enclave documents, but their PCRs measure an EC2 instance's boot and their
     * user_data is whatever that instance's root user chose: they say nothing about an enclave.
     */
    public Builder allowNitroTpm() {
      this.allowNitroTpm = true;
      return this;
    }

    public Builder expectUserData(Bytes value) {
      this.expectedUserData = Objects.requireNonNull(value, "value");
      return this;
    }

    public Builder expectNonce(Bytes value) {
      this.expectedNonce = Objects.requireNonNull(value, "value");
      return this;
    }

    public Builder expectPublicKey(Bytes value) {
      this.expectedPublicKey = Objects.requireNonNull(value, "value");
      return this;
    }

    public Policy build() {
      return new Policy(this);
    }
  }

  private static void checkPcr(int index, Bytes value) {
    Objects.requireNonNull(value, "value");
    if (index < 0 || index > MAX_PCR_INDEX) {
      throw new IllegalArgumentException("PCR index " + index + " is outside 0.." + MAX_PCR_INDEX);
    }
    int n = value.length();
    if (n != 32 && n != 48 && n != 64) {
      throw new IllegalArgumentException(
          "PCR" + index + " value has " + n + " bytes; PCRs are 32, 48 or 64 bytes");
    }
  }
}
