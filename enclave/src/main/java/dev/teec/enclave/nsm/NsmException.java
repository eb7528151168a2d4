package dev.teec.enclave.nsm;

import java.util.Optional;

/**
 * An attestation could not be obtained: the NSM answered with an error, its answer was malformed,
 * the device could not be reached, or the simulated NSM's state is unusable. The message says what
 * failed and where; {@link #errorCode()} is present when the NSM itself reported an error code.
 */
public final class NsmException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient NsmErrorCode errorCode;

  public NsmException(String message) {
    this(message, null, null);
  }

  public NsmException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** An error the NSM reported (or, in the simulated NSM, would report) with this code. */
  public NsmException(String message, NsmErrorCode errorCode) {
    this(message, errorCode, null);
  }

  /**
   * The general form.
   *
   * @param errorCode the NSM error code, or null when the failure has none
   * @param cause the underlying failure, or null
   */
  public NsmException(String message, NsmErrorCode errorCode, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  /** The NSM error code behind this failure, when there is one. */
  public Optional<NsmErrorCode> errorCode() {
    return Optional.ofNullable(errorCode);
  }
}
