package dev.teec.enclave.proxy;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream whose single-byte {@link #read()} goes through {@link #read(byte[], int, int)},
 * so subclasses implement only the bulk read.
 */
abstract class SingleByteViaArray extends InputStream {

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;
}
