package dev.teec.verifier.vote;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One identity that makes bundles count as one builder (spec C3): an operator key id, a parent
 * instance id, or the SHA-256 of an attestation root.
 *
 * @param basis how the identity was established
 * @param id the operator key's {@code kid}, the parent instance ({@code i-...}), or the root's
 *     SHA-256 (lowercase hex)
 */
public record BuilderId(Independence basis, String id) {
  /**
   * A Nitro Enclaves module id: the parent EC2 instance id ({@code i-} and 8 or 17 hex digits),
   * {@code -enc} and the enclave's 16 hex digits. The enclave part changes at every launch.
   */
  private static final Pattern NITRO_MODULE_ID =
      Pattern.compile("(i-(?:[0-9a-f]{8}|[0-9a-f]{17}))-enc[0-9a-f]{16}");

  /** Validates the components. */
  public BuilderId {
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("an empty builder id");
    }
  }

  /**
   * The parent instance a Nitro Enclaves module id names: {@code i-0123456789abcdef0} for {@code
   * i-0123456789abcdef0-enc0123456789abcdef}.
   *
   * @return empty when {@code moduleId} does not have that form
   */
  public static Optional<String> parentInstance(String moduleId) {
    Matcher m = NITRO_MODULE_ID.matcher(moduleId);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * For reports: {@code operator key alice}, {@code parent instance i-0123456789abcdef0}, {@code
   * simulated root 3f2a9c0d1e2b4a5c…}.
   */
  public String describe() {
    return label(basis, false) + " " + shortId();
  }

  /** The id, roots shortened to 16 hex digits. */
  String shortId() {
    return basis == Independence.SIMULATED_ROOT || basis == Independence.ATTESTATION_ROOT
        ? id.substring(0, Math.min(16, id.length())) + "…"
        : id;
  }

  static String label(Independence basis, boolean plural) {
    String label =
        switch (basis) {
          case OPERATOR_KEY -> "operator key";
          case PARENT_INSTANCE -> "parent instance";
          case SIMULATED_ROOT -> "simulated root";
          case ATTESTATION_ROOT -> "attestation root";
        };
    return plural ? label + "s" : label;
  }
}
