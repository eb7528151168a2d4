package dev.teec.enclave.nsm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The three C library calls {@link DeviceNsm} makes, behind an interface so that tests can put a
 * fake in place of the kernel. Each call throws {@link LastErrorException} carrying errno when it
 * fails. Only 64-bit Linux is supported, where {@code unsigned long} (ioctl's request) is a Java
 * {@code long}.
 */
interface Libc extends Library {
  int open(String path, int flags) throws LastErrorException;

  int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  /** The process's C library, bound through JNA. */
  static Libc system() {
    return Native.load("c", Libc.class);
  }
}
