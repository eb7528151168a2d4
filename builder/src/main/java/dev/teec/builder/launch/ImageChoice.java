package dev.teec.builder.launch;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * An enclave image chosen for a build.
 *
 * @param eif the image file
 * @param pcrs the measurements (index to lower-case hex SHA-384) an enclave started from it attests
 * @param description where it came from, for people
 */
public record ImageChoice(Path eif, Map<Integer, String> pcrs, String description) {

  /** Checks the fields and copies the map. */
  public ImageChoice {
    Objects.requireNonNull(eif, "eif");
    pcrs = Map.copyOf(pcrs);
    Objects.requireNonNull(description, "description");
  }
}
