package dev.teec.truststore.eif;

import dev.teec.verifier.Bytes;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link EifReader#measure} found: the PCRs an enclave booted from this file will report, and
 * the header facts they were computed from.
 *
 * @param version the EIF format version
 * @param flags the header flags; bit 0 set means aarch64
 * @param defaultMemory the default enclave memory in bytes, as recorded in the header
 * @param defaultCpus the default number of vCPUs, as recorded in the header
 * @param crc32 the header's CRC-32, which matched the file
 * @param sections every section in file order
 * @param pcrs PCR0, PCR1, PCR2, and PCR8 when the file has a signature section
 * @param signature for signed files, whether the signature over PCR0 verifies
 */
public record EifMeasurement(
    int version,
    int flags,
    long defaultMemory,
    long defaultCpus,
    long crc32,
    List<EifSection> sections,
    SortedMap<Integer, Bytes> pcrs,
    Optional<EifSignatureCheck> signature) {
  public EifMeasurement {
    Objects.requireNonNull(signature, "signature");
    sections = List.copyOf(sections);
    pcrs = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(pcrs, "pcrs")));
  }

  /** PCR0: kernel, command line and every ramdisk. */
  public Bytes pcr0() {
    return pcrs.get(0);
  }

  /** PCR1: kernel, command line and the first ramdisk (the boot ramfs). */
  public Bytes pcr1() {
    return pcrs.get(1);
  }

  /** PCR2: every ramdisk after the first (the application). */
  public Bytes pcr2() {
    return pcrs.get(2);
  }

  /** PCR8: the signing certificate, present only for signed files. */
  public Optional<Bytes> pcr8() {
    return Optional.ofNullable(pcrs.get(8));
  }

  /** True when bit 0 of the flags says the image is for aarch64 rather than x86_64. */
  public boolean arm64() {
    return (flags & EifReader.FLAG_ARM64) != 0;
  }
}
