package dev.teec.truststore.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObjectJSON;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.teec.digest.Digests;
import dev.teec.verifier.CheckStatus;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a signed registry against pinned maintainer keys (SPEC.md section R3).
 *
 * <p>A registry is accepted only if its envelope and payload are well formed, at least {@code
 * threshold} distinct pinned keys produced valid ES384 signatures over the payload, the current
 * time lies in [issuedAt, expiresAt), and its version is not below the caller's minimum. Signatures
 * by unknown keys, with other algorithms or other {@code typ} values never count; a key that signs
 * twice counts once. Every check is reported, passing or failing, so a rejection says why.
 */
public final class RegistryVerifier {
  /** More signatures than any maintainer group needs; bounds the verification work per registry. */
  static final int MAX_SIGNATURES = 64;

  private final List<ECKey> keys;
  private final String keySetId;
  private final int threshold;
  private final Clock clock;
  private final long minVersion;
  private final RegistryVersionStore versions;
  private final boolean allowRollback;

  private RegistryVerifier(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.keySetId = keySetId(keys);
    this.threshold = b.threshold;
    this.clock = b.clock;
    this.minVersion = b.minVersion;
    this.versions = b.versions;
    this.allowRollback = b.allowRollback;
  }

  /**
   * The pinned key set's id: lowercase hex SHA-256 of the sorted canonical thumbprints of the
   * pinned keys, one per line. The {@link RegistryVersionStore} keys versions by it, so a
   * registry's version history follows the maintainers who sign it, not the file it came in.
   */
  public String keySetId() {
    return keySetId;
  }

  /** A builder; keys are required, the threshold defaults to 1 and the clock to system UTC. */
  public static Builder builder() {
    return new Builder();
  }

  /** Verifies the signed envelope in {@code envelope} (UTF-8 JSON). */
  public RegistryVerification verify(byte[] envelope) {
    List<RegistryCheck> checks = new ArrayList<>();
    JWSObjectJSON jws = null;
    Registry registry;
    byte[] payload;
    try {
      JsonNode top = RegistryJson.readEnvelope(envelope);
      if (top.isObject() && top.has("type") && !top.has("signatures")) {
        // A bare registry document: well formed perhaps, but nobody vouches for it.
        payload = envelope;
      } else if (top.isObject()
          && top.path("signatures").isArray()
          && top.path("signatures").isEmpty()
          && top.path("payload").isTextual()) {
        payload = new Base64URL(top.path("payload").textValue()).decode();
      } else {
        MaintainerKeys.checkProtectedHeaders(top.path("signatures"));
        try {
          jws = JWSObjectJSON.parse(new String(envelope, StandardCharsets.UTF_8));
        } catch (ParseException e) {
          throw new RegistryFormatException(
              "$", "not a JWS JSON general serialization: " + e.getMessage());
        }
        if (jws.getSignatures().size() > MAX_SIGNATURES) {
          throw new RegistryFormatException(
              "$.signatures",
              jws.getSignatures().size() + " signatures, at most " + MAX_SIGNATURES + " are read");
        }
        payload = jws.getPayload().toBytes();
      }
      registry = RegistryJson.parse(payload);
    } catch (RegistryFormatException e) {
      checks.add(new RegistryCheck(RegistryCheck.FORMAT, CheckStatus.FAIL, e.getMessage()));
      checks.add(skip(RegistryCheck.SIGNATURE));
      checks.add(skip(RegistryCheck.VALIDITY));
      checks.add(skip(RegistryCheck.VERSION));
      return new RegistryVerification(checks, null, null);
    }
    checks.add(
        new RegistryCheck(
            RegistryCheck.FORMAT,
            CheckStatus.PASS,
            "well-formed registry, version "
                + registry.version()
                + ", "
                + registry.images().size()
                + " image(s)"));
    List<String> signers = new ArrayList<>();
    checks.add(
        jws == null
            ? new RegistryCheck(
                RegistryCheck.SIGNATURE,
                CheckStatus.FAIL,
                "unsigned: the file carries no signature")
            : signatures(jws, signers));
    checks.add(validity(registry, clock.instant()));
    boolean authentic = checks.stream().noneMatch(RegistryCheck::failed);
    checks.add(
        new VersionCheck(versions, keySetId, minVersion, allowRollback)
            .check(registry.version(), authentic));
    boolean ok = checks.stream().noneMatch(RegistryCheck::failed);
    return new RegistryVerification(
        checks, registry, ok ? new VerifiedRegistry(registry, signers) : null);
  }

  private RegistryCheck signatures(JWSObjectJSON jws, List<String> signers) {
    Set<String> counted = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    int index = 0;
    for (JWSObjectJSON.Signature s : jws.getSignatures()) {
      String kid = s.getHeader().getKeyID();
      String label = "signature " + index++ + (kid != null ? " (kid " + kid + ")" : "");
      ECKey key =
          kid == null
              ? null
              : keys.stream().filter(k -> kid.equals(k.getKeyID())).findFirst().orElse(null);
      if (key == null) {
        problems.add(label + ": not a pinned key");
      } else if (!JWSAlgorithm.ES384.equals(s.getHeader().getAlgorithm())) {
        problems.add(
            label + ": algorithm " + s.getHeader().getAlgorithm() + ", only ES384 is accepted");
      } else if (!RegistrySigner.TYPE.equals(s.getHeader().getType())) {
        problems.add(label + ": typ is not " + RegistrySigner.TYPE);
      } else if (s.getUnprotectedHeader() != null
          && !s.getUnprotectedHeader().getIncludedParams().isEmpty()) {
        problems.add(label + ": unprotected header parameters are not accepted");
      } else if (!verifies(s, key)) {
        problems.add(
            label + ": does not verify against the pinned key (altered payload or wrong key)");
      } else if (!counted.add(MaintainerKeys.canonicalThumbprint(key))) {
        problems.add(label + ": the same key signed more than once; counted once");
      } else {
        signers.add(kid);
      }
    }
    String summary =
        signers.size()
            + " of "
            + keys.size()
            + " pinned key(s) signed"
            + (signers.isEmpty() ? "" : " (" + String.join(", ", signers) + ")")
            + ", threshold "
            + threshold;
    if (signers.size() >= threshold) {
      return new RegistryCheck(
          RegistryCheck.SIGNATURE,
          CheckStatus.PASS,
          summary + (problems.isEmpty() ? "" : "; not counted: " + String.join("; ", problems)));
    }
    return new RegistryCheck(
        RegistryCheck.SIGNATURE,
        CheckStatus.FAIL,
        "under threshold: "
            + summary
            + (problems.isEmpty() ? "" : "; " + String.join("; ", problems)));
  }

  private static boolean verifies(JWSObjectJSON.Signature s, ECKey key) {
    try {
      return s.verify(new ECDSAVerifier(key.toPublicJWK()));
    } catch (JOSEException e) {
      return false;
    }
  }

  private static RegistryCheck validity(Registry registry, Instant now) {
    if (now.isBefore(registry.issuedAt())) {
      return new RegistryCheck(
          RegistryCheck.VALIDITY,
          CheckStatus.FAIL,
          "not yet valid: issued at " + registry.issuedAt() + ", now is " + now);
    }
    if (!now.isBefore(registry.expiresAt())) {
      return new RegistryCheck(
          RegistryCheck.VALIDITY,
          CheckStatus.FAIL,
          "expired at " + registry.expiresAt() + ", now is " + now);
    }
    return new RegistryCheck(
        RegistryCheck.VALIDITY,
        CheckStatus.PASS,
        "issued " + registry.issuedAt() + ", valid until " + registry.expiresAt());
  }

  private static String keySetId(List<ECKey> keys) {
    List<String> thumbprints =
        keys.stream().map(MaintainerKeys::canonicalThumbprint).sorted().toList();
    return Digests.sha256Hex(String.join("\n", thumbprints).getBytes(StandardCharsets.US_ASCII));
  }

  private static RegistryCheck skip(String id) {
    return new RegistryCheck(id, CheckStatus.SKIP, "not checked: the registry could not be read");
  }

  /** Configures a {@link RegistryVerifier}; contradictory settings fail in {@link #build}. */
  public static final class Builder {
    private final List<ECKey> keys = new ArrayList<>();
    private int threshold = 1;
    private Clock clock = Clock.systemUTC();
    private long minVersion;
    private RegistryVersionStore versions = RegistryVersionStore.inMemory();
    private boolean allowRollback;

    private Builder() {}

    /**
     * The pinned maintainer keys, replacing any given before: public EC P-384 keys with key ids,
     * each key once (checked as {@link MaintainerKeys#checkPublicSet} does; {@link
     * MaintainerKeys#parsePublicSet} reads such a set from JSON).
     *
     * @throws IllegalArgumentException if the set is not a valid pinned key set, saying why
     */
    public Builder keys(JWKSet set) {
      try {
        MaintainerKeys.checkPublicSet(set);
      } catch (RegistryFormatException e) {
        throw new IllegalArgumentException("pinned keys: " + e.getMessage(), e);
      }
      keys.clear();
      set.getKeys().forEach(k -> keys.add(((ECKey) k).toPublicJWK()));
      return this;
    }

    /** How many distinct pinned keys must sign (k of n); default 1. */
    public Builder threshold(int k) {
      this.threshold = k;
      return this;
    }

    /** The source of "now" for the validity window. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Rejects registries whose version is below {@code version} (rollback protection). */
    public Builder minVersion(long version) {
      if (version < 1) {
        throw new IllegalArgumentException("minimum version must be at least 1");
      }
      this.minVersion = version;
      return this;
    }

    /**
     * Where the highest verified version of each key set's registry is remembered (default: {@link
     * RegistryVersionStore#inMemory()}, so this verifier never goes back to an older registry than
     * one it verified). A registry below the recorded version is rejected as a rollback.
     */
    public Builder versionStore(RegistryVersionStore store) {
      this.versions = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Accepts a registry older than the version store's record, with a WARN on {@code
     * registry.version} that says so; {@link #minVersion} still applies. Widens trust: only on a
     * user's explicit request.
     */
    public Builder allowRollback() {
      this.allowRollback = true;
      return this;
    }

    /** The verifier; fails if no key is pinned or the threshold is not in 1..n. */
    public RegistryVerifier build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("no maintainer keys are pinned");
      }
      if (threshold < 1 || threshold > keys.size()) {
        throw new IllegalStateException(
            "threshold must be between 1 and the "
                + keys.size()
                + " pinned key(s), got "
                + threshold);
      }
      return new RegistryVerifier(this);
    }
  }
}
