package dev.teec.verifier.image;

import dev.teec.verifier.Bytes;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * The known enclave images a bundle's attested PCRs are looked up in (step 3 of SPEC.md C2). The
 * implementation decides where the list comes from and how it is authenticated; the verifier only
 * asks whether the attested measurements name an image that is active at the verification time.
 */
public interface ImageRegistry {
  /** A short description for reports, such as the file the list was read from. */
  String describe();

  /**
   * Looks up the image with these measurements.
   *
   * @param pcrs the attested PCRs (index to value)
   * @param at the verification time T
   * @return the entry that matches, or {@link ImageLookup#unknown}
   */
  ImageLookup lookup(SortedMap<Integer, Bytes> pcrs, Instant at);

  /**
   * What the reader must know about this registry's trust, such as a rollback the user allowed; a
   * bundle whose image it identifies then verifies with a {@code bundle.image} WARN naming these.
   * Default: none.
   */
  default List<String> warnings() {
    return List.of();
  }
}
