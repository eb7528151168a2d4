package dev.teec.enclave.protocol.transport;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The real libc behind {@link VsockLibc}. */
interface NativeLibc extends VsockLibc, Library {

  /** Binds the C library of this process. */
  static VsockLibc load() {
    return Native.load("c", NativeLibc.class);
  }
}
