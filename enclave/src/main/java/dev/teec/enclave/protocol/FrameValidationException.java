package dev.teec.enclave.protocol;

import java.util.Objects;

/**
 * A frame record was given a value the protocol forbids. Unchecked because record constructors
 * cannot declare checked exceptions; the decoder turns it into a {@link ProtocolException} with the
 * same code, and local callers see an ordinary {@link IllegalArgumentException}.
 */
final class FrameValidationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  FrameValidationException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code);
  }

  ErrorCode code() {
    return code;
  }
}
