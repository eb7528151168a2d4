package dev.teec.cli.challenge.compare;

/** Whether a rebuilt artifact is byte-identical to the original. */
public enum Verdict {
  /** Same bytes (same SHA-256). */
  MATCH,
  /** Different bytes, or present on one side only. */
  MISMATCH
}
