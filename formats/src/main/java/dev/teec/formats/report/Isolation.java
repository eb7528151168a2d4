package dev.teec.formats.report;

/**
 * Whether the build's only route to the network was the recording proxy, and why the worker
 * believes so (or why it could not enforce it), in one human-readable sentence.
 */
public record Isolation(boolean enforced, String reason) {
  /** Validates the reason: 1..1024 characters, no control characters. */
  public Isolation {
    Checks.text(reason, 1024, "isolation reason");
  }
}
