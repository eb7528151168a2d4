package dev.teec.enclave.nsm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Platform;
import java.util.Map;
import java.util.Objects;

/**
 * The real Nitro Security Module, reached through {@code /dev/nsm} inside a Nitro Enclave.
 *
 * <p>Each {@link #attest} opens the device, makes one {@code ioctl(fd, NSM_IOCTL_REQUEST, &msg)}
 * with {@link NsmMessage} pointing at the CBOR request and at a {@link NsmCodec#MAX_RESPONSE_BYTES}
 * response buffer, closes the device, and decodes the response (SPEC.md W4). Opening per call keeps
 * no descriptor alive between builds and makes the object thread-safe. Supported on 64-bit Linux on
 * x86-64 and aarch64, the platforms Nitro Enclaves run on.
 */
public final class DeviceNsm implements Nsm {
  /** The NSM device node inside an enclave. */
  public static final String DEVICE = "/dev/nsm";

  /** {@code _IOWR(0x0A, 0, struct nsm_message)} = 0xC0200A00 on x86-64 and aarch64 Linux. */
  public static final long NSM_IOCTL_REQUEST = ioctlReadWrite(0x0A, 0, NsmMessage.SIZE);

  static final int O_RDWR = 2;

  /** The same value, 02000000, on x86-64 and aarch64. */
  static final int O_CLOEXEC = 0x80000;

  private final Libc libc;
  private final String device;

  private DeviceNsm(Libc libc, String device) {
    this.libc = libc;
    this.device = device;
  }

  /**
   * The NSM of the enclave this process runs in. Fails fast, with the reason, when this is not such
   * an enclave: unsupported platform, device absent, or no permission to open it.
   *
   * @throws NsmException if the device cannot be used
   */
  public static DeviceNsm open() throws NsmException {
    requireSupportedPlatform(Platform.isLinux(), Platform.is64Bit(), Platform.ARCH);
    Libc libc;
    try {
      libc = Libc.system();
    } catch (UnsatisfiedLinkError e) {
      throw new NsmException("cannot load the C library through JNA to reach " + DEVICE, e);
    }
    return open(libc, DEVICE);
  }

  /** The NSM at {@code device} through {@code libc}; probes the device once. */
  static DeviceNsm open(Libc libc, String device) throws NsmException {
    DeviceNsm nsm =
        new DeviceNsm(
            Objects.requireNonNull(libc, "libc"), Objects.requireNonNull(device, "device"));
    nsm.close(nsm.openDevice());
    return nsm;
  }

  static void requireSupportedPlatform(boolean linux, boolean is64Bit, String arch)
      throws NsmException {
    if (!linux || !is64Bit || !(arch.equals("x86-64") || arch.equals("aarch64"))) {
      throw new NsmException(
          "the Nitro NSM device needs 64-bit Linux on x86-64 or aarch64; this is "
              + (linux ? "Linux" : "not Linux")
              + " on "
              + arch
              + (is64Bit ? "" : " (32-bit)")
              + ". Use the simulated NSM outside an enclave.");
    }
  }

  /**
   * The Linux ioctl number for a read-write command: direction in bits 30-31 (read 2 | write 1),
   * argument size in bits 16-29, type in bits 8-15, number in bits 0-7 (asm-generic/ioctl.h).
   */
  static long ioctlReadWrite(int type, int number, int size) {
    if (type < 0 || type > 0xff || number < 0 || number > 0xff || size < 0 || size >= (1 << 14)) {
      throw new IllegalArgumentException(
          "ioctl field out of range: type " + type + ", nr " + number + ", size " + size);
    }
    long readWrite = 2 | 1;
    return (readWrite << 30) | ((long) size << 16) | ((long) type << 8) | number;
  }

  @Override
  public byte[] attest(AttestationRequest request) throws NsmException {
    byte[] encoded = NsmCodec.encodeAttestationRequest(request);
    if (encoded.length > NsmCodec.MAX_REQUEST_BYTES) {
      throw new NsmException(
          "the encoded request is "
              + encoded.length
              + " bytes, more than the "
              + NsmCodec.MAX_REQUEST_BYTES
              + " the driver accepts",
          NsmErrorCode.INPUT_TOO_LARGE);
    }
    return NsmCodec.decodeAttestationResponse(exchange(encoded));
  }

  /** Read from an attestation without user data (one ioctl), as the device signs them. */
  @Override
  public Map<Integer, byte[]> pcrs() throws NsmException {
    return AttestedPcrs.read(this);
  }

  @Override
  public String describe() {
    return "nitro " + device;
  }

  /** One ioctl round trip: the raw response bytes for the raw request bytes. */
  private byte[] exchange(byte[] encoded) throws NsmException {
    try (Memory requestBuffer = new Memory(encoded.length);
        Memory responseBuffer = new Memory(NsmCodec.MAX_RESPONSE_BYTES)) {
      requestBuffer.write(0, encoded, 0, encoded.length);
      responseBuffer.clear();
      NsmMessage message =
          new NsmMessage(
              requestBuffer, encoded.length, responseBuffer, NsmCodec.MAX_RESPONSE_BYTES);
      message.write();
      int fd = openDevice();
      try {
        int status = libc.ioctl(fd, NSM_IOCTL_REQUEST, message.getPointer());
        if (status != 0) {
          throw new NsmException("ioctl on " + device + " returned " + status + " instead of 0");
        }
      } catch (LastErrorException e) {
        throw new NsmException(
            "ioctl NSM_IOCTL_REQUEST on "
                + device
                + " failed: "
                + Errno.describe(e.getErrorCode())
                + ioctlHint(e.getErrorCode()),
            e);
      } finally {
        close(fd);
      }
      message.read();
      long length = message.responseLength;
      if (length <= 0 || length > NsmCodec.MAX_RESPONSE_BYTES) {
        throw new NsmException(
            "the driver reported a response of "
                + length
                + " bytes; expected 1.."
                + NsmCodec.MAX_RESPONSE_BYTES);
      }
      return responseBuffer.getByteArray(0, (int) length);
    }
  }

  private int openDevice() throws NsmException {
    try {
      int fd = libc.open(device, O_RDWR | O_CLOEXEC);
      if (fd < 0) {
        throw new NsmException("open " + device + " returned " + fd);
      }
      return fd;
    } catch (LastErrorException e) {
      throw new NsmException(
          "cannot open "
              + device
              + ": "
              + Errno.describe(e.getErrorCode())
              + openHint(e.getErrorCode()),
          e);
    }
  }

  private void close(int fd) {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      // The request has been answered (or has failed with its own error) by now; a failed close
      // cannot change the document and Linux releases the descriptor even then.
    }
  }

  private static String openHint(int errno) {
    return switch (errno) {
      case Errno.ENOENT ->
          "; this is not a Nitro Enclave (or its nsm driver is not loaded)."
              + " Use the simulated NSM for local builds.";
      case Errno.EACCES -> "; the worker needs read-write access to the device";
      default -> "";
    };
  }

  private static String ioctlHint(int errno) {
    return errno == Errno.EMSGSIZE
        ? "; the request or the response exceeds the driver's limit"
        : "";
  }
}
