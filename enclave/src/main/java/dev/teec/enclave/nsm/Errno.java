package dev.teec.enclave.nsm;

import java.util.Map;

/**
 * Names of the errno values the NSM device can plausibly produce. x86_64 and aarch64 Linux share
 * these numbers (asm-generic/errno.h).
 */
final class Errno {
  static final int ENOENT = 2;
  static final int EACCES = 13;
  static final int EMSGSIZE = 90;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "EPERM (operation not permitted)"),
          Map.entry(ENOENT, "ENOENT (no such file or directory)"),
          Map.entry(4, "EINTR (interrupted system call)"),
          Map.entry(5, "EIO (input/output error)"),
          Map.entry(6, "ENXIO (no such device or address)"),
          Map.entry(9, "EBADF (bad file descriptor)"),
          Map.entry(11, "EAGAIN (resource temporarily unavailable)"),
          Map.entry(12, "ENOMEM (out of memory)"),
          Map.entry(EACCES, "EACCES (permission denied)"),
          Map.entry(14, "EFAULT (bad address)"),
          Map.entry(16, "EBUSY (device or resource busy)"),
          Map.entry(19, "ENODEV (no such device)"),
          Map.entry(22, "EINVAL (invalid argument)"),
          Map.entry(25, "ENOTTY (inappropriate ioctl for device)"),
          Map.entry(EMSGSIZE, "EMSGSIZE (message too long)"),
          Map.entry(95, "EOPNOTSUPP (operation not supported)"),
          Map.entry(110, "ETIMEDOUT (timed out)"));

  private Errno() {}

  /** For example {@code "ENOENT (no such file or directory)"}, or {@code "errno 42"}. */
  static String describe(int errno) {
    String name = NAMES.get(errno);
    return name != null ? name : "errno " + errno;
  }
}
