package dev.teec.formats.report;

/**
 * Where a worker inside an enclave got its attestation and reached the host: the NSM device it
 * opened and the vsock CID it dialled for the host's egress forwarder (SPEC W3). A worker with the
 * simulated NSM records none.
 *
 * @param nsmDevice the NSM device file the worker attested through, e.g. {@code /dev/nsm}; the
 *     worker cannot tell Nitro's NSM from an emulated one, so this names the device, not the kind
 * @param parentCid the vsock CID of the parent (host) the worker's egress connections went to: 3 on
 *     Nitro, 2 under QEMU's nitro-enclave machine with a hybrid-vsock backend
 */
public record EnclaveRuntime(String nsmDevice, long parentCid) {
  /** The largest vsock CID (32 bits; {@code 0xFFFFFFFF} is VMADDR_CID_ANY, not an address). */
  public static final long MAX_CID = 0xFFFF_FFFEL;

  /** Validates: an absolute device path of 1..256 characters and a CID in 0..2^32-2. */
  public EnclaveRuntime {
    Checks.text(nsmDevice, 256, "NSM device");
    if (!nsmDevice.startsWith("/")) {
      throw new IllegalArgumentException(
          "NSM device must be an absolute path, got \"" + Checks.abbreviate(nsmDevice) + "\"");
    }
    if (parentCid < 0 || parentCid > MAX_CID) {
      throw new IllegalArgumentException(
          "parent CID must be in 0.." + MAX_CID + ", got " + parentCid);
    }
  }
}
