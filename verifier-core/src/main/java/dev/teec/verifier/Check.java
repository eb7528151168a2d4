package dev.teec.verifier;

import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param id which check
 * @param status pass, fail, warn or skip
 * @param detail one sentence a person can act on: what was checked, and on failure what is wrong
 * @param expected what the check required, or {@code null} when that is not a single value
 * @param actual what the document had, or {@code null} when that is not a single value
 */
public record Check(CheckId id, CheckStatus status, String detail, String expected, String actual) {
  public Check {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** The specification section that defines this check, e.g. {@code spec/verifier.md#V4}. */
  public String specReference() {
    return id.specReference();
  }

  public boolean failed() {
    return status == CheckStatus.FAIL;
  }
}
