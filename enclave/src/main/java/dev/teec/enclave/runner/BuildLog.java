package dev.teec.enclave.runner;

import dev.teec.digest.Digests;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The captured build log: stdout and stderr of the build merged in the order written (one pipe), at
 * most {@link RunnerConfig#maxLogBytes()} of build output followed by the runner's own marker lines
 * (each starting with {@code [teec: }). Immutable.
 */
public final class BuildLog {
  private final byte[] bytes;
  private final boolean truncated;
  private final String sha256;

  BuildLog(byte[] bytes, boolean truncated) {
    this.bytes = bytes.clone();
    this.truncated = truncated;
    this.sha256 = Digests.sha256Hex(this.bytes);
  }

  /** A copy of the log bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  /** Lower-case hex SHA-256 of {@link #bytes()}. */
  public String sha256() {
    return sha256;
  }

  /** True when the build wrote more than the limit and the rest was discarded. */
  public boolean truncated() {
    return truncated;
  }

  /** The log decoded as UTF-8 (malformed bytes replaced), for display and tests. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuildLog other
        && other.truncated == truncated
        && Arrays.equals(other.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + Boolean.hashCode(truncated);
  }

  @Override
  public String toString() {
    return "BuildLog["
        + bytes.length
        + " bytes, sha256="
        + sha256
        + (truncated ? ", truncated]" : "]");
  }
}
