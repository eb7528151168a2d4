package dev.teec.enclave.proxy;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A raw, bidirectional byte stream to one upstream host and port, as opened by an {@link
 * UpstreamConnector}. The proxy runs HTTP (and TLS, for https) over it. Used by one thread at a
 * time; {@link #close()} may be called from another thread to abort a blocked read or write.
 */
public interface UpstreamConnection extends Closeable {

  /** Bytes from upstream; end of stream when upstream closed its side. */
  InputStream input();

  /** Bytes to upstream; {@code flush()} must push everything written so far onto the wire. */
  OutputStream output();
}
