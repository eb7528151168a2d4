package dev.teec.builder.launch;

import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.enclave.protocol.transport.VsockTransport;
import java.io.IOException;

/** Opens a vsock connection to an enclave; the seam that lets tests run without AF_VSOCK. */
@FunctionalInterface
public interface VsockConnector {

  /** Connects to {@code port} of the enclave with context id {@code cid}. */
  Connection connect(long cid, long port) throws IOException;

  /** AF_VSOCK through {@link VsockTransport}. */
  VsockConnector NATIVE = (cid, port) -> new VsockTransport(cid, port).connect();
}
