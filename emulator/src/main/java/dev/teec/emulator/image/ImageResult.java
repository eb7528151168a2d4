package dev.teec.emulator.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * An emulated enclave image.
 *
 * @param language the image's language (c, rust, go, maven)
 * @param path the EIF
 * @param pcrs PCR0, PCR1 and PCR2 (lower-case hex SHA-384), as {@code teec image measure} gives
 *     them
 * @param key the digest of every input, which names the file
 * @param reused whether the EIF was already there (nothing was built)
 * @param took how long this took
 * @param inputs the SHA-256 of each input, by name (the root file system, the worker, the kernel,
 *     ...)
 * @param extraCaCerts the certificates the image trusts beyond Debian's bundle (none: a plain
 *     image)
 */
public record ImageResult(
    String language,
    Path path,
    Map<Integer, String> pcrs,
    String key,
    boolean reused,
    Duration took,
    Map<String, String> inputs,
    ExtraCaCerts extraCaCerts) {
  public ImageResult {
    pcrs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(pcrs));
    inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
  }
}
