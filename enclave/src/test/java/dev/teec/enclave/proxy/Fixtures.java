package dev.teec.enclave.proxy;

import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.egress.UpstreamConnector;
import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Shared test helpers: trust contexts, CAs, a counting and name-mapping connector, waiting for
 * records.
 */
final class Fixtures {

  private Fixtures() {}

  static ProxyCa newCa() {
    return ProxyCa.generate(new SecureRandom(), Clock.systemUTC());
  }

  /** A client TLS context trusting exactly {@code roots}. */
  static SSLContext trusting(X509Certificate... roots) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < roots.length; i++) {
        store.setCertificateEntry("root" + i, roots[i]);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Connects over TCP to loopback, optionally mapping made-up host names to local ports (a DNS
   * stand-in), and remembers every (host, port) asked for.
   */
  static final class LocalConnector implements UpstreamConnector {
    final List<String> connects = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> names;

    LocalConnector(Map<String, Integer> names) {
      this.names = Map.copyOf(names);
    }

    @Override
    public Connection connect(String host, int port, Duration connectTimeout, Duration readTimeout)
        throws IOException {
      connects.add(host + ":" + port);
      Integer mapped = names.get(host);
      return TcpUpstreamConnector.anyAddress()
          .connect(
              mapped != null ? "127.0.0.1" : host,
              mapped != null ? mapped : port,
              connectTimeout,
              readTimeout);
    }
  }

  /** Waits up to 5 s until the proxy holds at least {@code n} records, then returns them. */
  static List<NetworkRecord> awaitRecords(RecordingProxy proxy, int n) throws InterruptedException {
    return await(proxy, r -> r.size() >= n);
  }

  static List<NetworkRecord> await(RecordingProxy proxy, Predicate<List<NetworkRecord>> done)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(5);
    while (true) {
      List<NetworkRecord> records = proxy.records();
      if (done.test(records) || Instant.now().isAfter(deadline)) {
        return records;
      }
      Thread.sleep(10);
    }
  }
}
