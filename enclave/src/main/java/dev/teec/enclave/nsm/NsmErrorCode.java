package dev.teec.enclave.nsm;

import java.util.Arrays;
import java.util.Optional;

/**
 * The error codes an NSM response can carry, as the AWS NSM API defines them. On the wire each is
 * the variant's name as a CBOR text string, for example {@code {"Error": "InputTooLarge"}}.
 */
public enum NsmErrorCode {
  /** No error; never seen inside an Error response in practice. */
  SUCCESS("Success", "no error"),
  INVALID_ARGUMENT("InvalidArgument", "an input argument is invalid"),
  INVALID_INDEX("InvalidIndex", "PCR index out of bounds"),
  INVALID_RESPONSE("InvalidResponse", "the response does not correspond to the request"),
  READ_ONLY_INDEX("ReadOnlyIndex", "the PCR is locked"),
  INVALID_OPERATION(
      "InvalidOperation", "the request cannot be fulfilled with the module's capabilities"),
  BUFFER_TOO_SMALL("BufferTooSmall", "the output buffer is too small"),
  INPUT_TOO_LARGE("InputTooLarge", "the input is too large"),
  INTERNAL_ERROR("InternalError", "the NSM failed internally");

  private final String wireName;
  private final String meaning;

  NsmErrorCode(String wireName, String meaning) {
    this.wireName = wireName;
    this.meaning = meaning;
  }

  /** The name as it appears on the wire, for example {@code InvalidArgument}. */
  public String wireName() {
    return wireName;
  }

  /** A short English description of the error. */
  public String meaning() {
    return meaning;
  }

  /** The code whose wire name is exactly {@code name}, if any. */
  public static Optional<NsmErrorCode> fromWireName(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
  }
}
