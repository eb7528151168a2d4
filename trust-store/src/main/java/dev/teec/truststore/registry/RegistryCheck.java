package dev.teec.truststore.registry;

import dev.teec.verifier.CheckStatus;
import java.util.Objects;

/**
 * The outcome of one registry or image check.
 *
 * @param id stable id, e.g. {@code registry.signature} or {@code image.match}
 * @param status pass, fail, warn or skip
 * @param detail one sentence: what was checked, and on failure what is wrong
 */
public record RegistryCheck(String id, CheckStatus status, String detail) {
  /** The envelope and payload are well formed. */
  public static final String FORMAT = "registry.format";

  /** At least the threshold of distinct pinned keys signed the payload. */
  public static final String SIGNATURE = "registry.signature";

  /** The registry was issued and has not expired. */
  public static final String VALIDITY = "registry.validity";

  /** The registry's version is not below the caller's minimum (rollback protection). */
  public static final String VERSION = "registry.version";

  /** The document's PCRs are those of an active image, valid at the document's time. */
  public static final String IMAGE_MATCH = "image.match";

  public RegistryCheck {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** The specification section that defines this check, e.g. {@code spec/registry.md#R3}. */
  public String specReference() {
    return id.equals(IMAGE_MATCH) ? "spec/registry.md#R4" : "spec/registry.md#R3";
  }

  public boolean failed() {
    return status == CheckStatus.FAIL;
  }
}
