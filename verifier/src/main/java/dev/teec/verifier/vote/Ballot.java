package dev.teec.verifier.vote;

import dev.teec.verifier.bundle.VerifiedBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One verified bundle handed to a {@link Vote}, with its operator signature when it has one (spec
 * C7). Only verified bundles can be ballots.
 *
 * @param bundle the verified bundle
 * @param operatorSignature the bytes of its operator signature file, or null
 */
public record Ballot(VerifiedBundle bundle, byte[] operatorSignature) {
  /** Copies the signature. */
  public Ballot {
    Objects.requireNonNull(bundle, "bundle");
    operatorSignature = operatorSignature == null ? null : operatorSignature.clone();
  }

  /** A ballot without an operator signature: enough when builders are told apart by attestation. */
  public static Ballot of(VerifiedBundle bundle) {
    return new Ballot(bundle, null);
  }

  /**
   * A ballot with the operator signature kept next to the bundle ({@link
   * OperatorSignature#fileFor}: {@code <bundle path>.jws}), or none when that file does not exist.
   * At most {@link OperatorSignature#MAX_SIZE} + 1 bytes are read, so an oversized file is rejected
   * by the check rather than read whole.
   *
   * @throws IOException if the file exists but cannot be read
   */
  public static Ballot nextTo(VerifiedBundle bundle) throws IOException {
    Path file = OperatorSignature.fileFor(Path.of(bundle.input()));
    try (InputStream in = Files.newInputStream(file)) {
      return new Ballot(bundle, in.readNBytes(OperatorSignature.MAX_SIZE + 1));
    } catch (NoSuchFileException e) {
      return of(bundle);
    }
  }

  /** A copy of the signature, or null. */
  @Override
  public byte[] operatorSignature() {
    return operatorSignature == null ? null : operatorSignature.clone();
  }
}
