package dev.teec.enclave.worker;

import dev.teec.enclave.protocol.egress.EgressClient;
import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.enclave.proxy.UpstreamConnection;
import dev.teec.enclave.proxy.UpstreamConnector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Inside Nitro, the recording proxy reaches upstream hosts through the egress channel to the host
 * forwarder (SPEC.md W9). The proxy runs TLS over this byte stream itself, so the host relays only
 * ciphertext.
 */
final class EgressUpstream implements UpstreamConnector {
  private final EgressClient egress;

  EgressUpstream(EgressClient egress) {
    this.egress = egress;
  }

  @Override
  public UpstreamConnection connect(
      String host, int port, Duration connectTimeout, Duration readTimeout) throws IOException {
    Connection c = egress.connect(host, port);
    return new UpstreamConnection() {
      @Override
      public InputStream input() {
        return c.input();
      }

      @Override
      public OutputStream output() {
        return c.output();
      }

      @Override
      public void close() throws IOException {
        c.close();
      }
    };
  }
}
