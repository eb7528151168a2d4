package dev.teec.verifier.bundle;

import dev.teec.verifier.CheckStatus;
import java.util.Objects;

/**
 * One step of bundle verification (SPEC.md C2).
 *
 * @param id stable check id, such as {@code bundle.binding} or {@code bundle.artifact:hello}
 * @param status PASS, FAIL, WARN (passes, but the reader must know) or SKIP (could not run)
 * @param detail one sentence: what was checked and, on failure, what is wrong
 */
public record BundleCheck(String id, CheckStatus status, String detail) {
  /** Validates that every component is present. */
  public BundleCheck {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  static BundleCheck pass(String id, String detail) {
    return new BundleCheck(id, CheckStatus.PASS, detail);
  }

  static BundleCheck fail(String id, String detail) {
    return new BundleCheck(id, CheckStatus.FAIL, detail);
  }

  static BundleCheck warn(String id, String detail) {
    return new BundleCheck(id, CheckStatus.WARN, detail);
  }

  static BundleCheck skip(String id, String detail) {
    return new BundleCheck(id, CheckStatus.SKIP, detail);
  }

  /** True when this check failed. */
  public boolean failed() {
    return status == CheckStatus.FAIL;
  }
}
