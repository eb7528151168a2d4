package dev.teec.cli;

import dev.teec.verifier.Bytes;
import java.util.Objects;

/**
 * One {@code --expect-pcr N=HEX} value.
 *
 * @param index the PCR index, 0..31
 * @param value the value the document's PCR must have
 */
record PcrExpectation(int index, Bytes value) {
  PcrExpectation {
    Objects.requireNonNull(value, "value");
  }
}
