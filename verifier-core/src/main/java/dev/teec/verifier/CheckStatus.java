package dev.teec.verifier;

/** Outcome of one verification check. */
public enum CheckStatus {
  /** The check ran and the document satisfied it. */
  PASS,
  /** The check ran and the document violates it; the verdict is "rejected". */
  FAIL,
  /**
   * Something worth knowing that does not reject the document (for example an unknown payload key).
   */
  WARN,
  /** The check did not run: not configured, or an earlier check it depends on failed. */
  SKIP
}
