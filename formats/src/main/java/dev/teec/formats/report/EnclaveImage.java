package dev.teec.formats.report;

import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The enclave image the build ran in, identified by its Nitro PCRs (SHA-384 measurements, lowercase
 * hex) and, when it came from teec's image registry, its registry id.
 *
 * @param pcrs PCR index (0..31) to value; must contain 0, 1 and 2
 * @param registryId the image's id in teec's registry, or null
 */
public record EnclaveImage(Map<Integer, String> pcrs, String registryId) {
  /** Validates and copies; the map becomes immutable. */
  public EnclaveImage {
    Objects.requireNonNull(pcrs, "pcrs");
    for (int required = 0; required <= 2; required++) {
      if (!pcrs.containsKey(required)) {
        throw new IllegalArgumentException("enclave image PCR" + required + " is required");
      }
    }
    pcrs.forEach(
        (index, value) -> {
          if (index == null || index < 0 || index > 31) {
            throw new IllegalArgumentException("PCR index " + index + " is outside 0..31");
          }
          Checks.hex(value, 96, "PCR" + index + " (SHA-384)");
        });
    pcrs = Map.copyOf(pcrs);
    if (registryId != null) {
      Checks.text(registryId, 256, "registry id");
    }
  }

  /** Image from raw 48-byte PCR values. */
  public static EnclaveImage fromPcrBytes(Map<Integer, byte[]> pcrs, String registryId) {
    Map<Integer, String> hex = new TreeMap<>();
    pcrs.forEach((index, value) -> hex.put(index, HexFormat.of().formatHex(value)));
    return new EnclaveImage(hex, registryId);
  }

  /** PCR0, the measurement of the whole enclave image file. */
  public String pcr0() {
    return pcrs.get(0);
  }
}
