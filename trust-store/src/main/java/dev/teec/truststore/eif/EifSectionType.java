package dev.teec.truststore.eif;

/** The section types of an EIF, with their on-disk codes. */
public enum EifSectionType {
  /** Code 1: the Linux kernel image; measured into PCR0 and PCR1. */
  KERNEL(1),
  /** Code 2: the kernel command line, without a terminating NUL; measured into PCR0 and PCR1. */
  CMDLINE(2),
  /** Code 3: an initramfs; the first goes into PCR0 and PCR1, the others into PCR0 and PCR2. */
  RAMDISK(3),
  /** Code 4: the signing certificate and PCR0 signature (CBOR); its certificate gives PCR8. */
  SIGNATURE(4),
  /** Code 5: build metadata (JSON); not measured. */
  METADATA(5);

  private final int code;

  EifSectionType(int code) {
    this.code = code;
  }

  /** The 16-bit code in the section header. */
  public int code() {
    return code;
  }

  /** The type with this code, or {@code null} for 0 (invalid) and unknown codes. */
  static EifSectionType ofCode(int code) {
    for (EifSectionType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
