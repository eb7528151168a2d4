package dev.teec.enclave.protocol.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.enclave.protocol.transport.ConnectionSocket;
import dev.teec.enclave.protocol.transport.LoopbackTcpTransport;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from the enclave side straight to the upstream host through the forwarder: the handshake
 * verifies the upstream certificate and name, and the forwarder only ever carries ciphertext.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EgressTlsTest {

  private static final String SECRET = "Authorization: Bearer do-not-leak-me";

  @TempDir Path dir;

  @Test
  void tls_throughForwarder_handshakesWithUpstreamAndHidesPlaintextFromTheHost() throws Exception {
    KeyPair key = ecKey();
    X509Certificate certificate = selfSigned(key, "upstream.test");
    SSLContext server = serverContext(key, certificate);
    SSLContext client = clientTrusting(certificate);
    ByteArrayOutputStream seenByHost = new ByteArrayOutputStream();
    try (EchoServer upstream = new EchoServer(server.getServerSocketFactory());
        Acceptor acceptor = new UnixSocketTransport(dir.resolve("egress.sock")).listen();
        EgressForwarder forwarder =
            new EgressForwarder(
                acceptor,
                EgressAllowlist.of(List.of("upstream.test")),
                (host, port, connectTimeout, readTimeout) ->
                    recording(new LoopbackTcpTransport(upstream.port()).connect(), seenByHost),
                4,
                EgressForwarderTest.DAEMONS,
                e -> {})) {
      forwarder.start();
      Connection relayed =
          new EgressClient(acceptor.endpoint())
              .connect(
                  "upstream.test", 443, EgressForwarderTest.TIMEOUT, EgressForwarderTest.TIMEOUT);

      try (SSLSocket tls =
          (SSLSocket)
              client
                  .getSocketFactory()
                  .createSocket(new ConnectionSocket(relayed), "upstream.test", 443, true)) {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        byte[] message = SECRET.getBytes(StandardCharsets.US_ASCII);
        tls.getOutputStream().write(message);
        tls.getOutputStream().flush();

        assertThat(tls.getInputStream().readNBytes(message.length)).isEqualTo(message);
        assertThat(tls.getSession().getPeerCertificates()[0]).isEqualTo(certificate);
      }
    }
    assertThat(seenByHost.size()).isGreaterThan(SECRET.length());
    assertThat(seenByHost.toString(StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
  }

  @Test
  void tls_throughForwarder_wrongUpstreamNameFailsTheHandshake() throws Exception {
    KeyPair key = ecKey();
    X509Certificate certificate = selfSigned(key, "someone-else.test");
    try (EchoServer upstream =
            new EchoServer(serverContext(key, certificate).getServerSocketFactory());
        Acceptor acceptor = new UnixSocketTransport(dir.resolve("egress.sock")).listen();
        EgressForwarder forwarder =
            new EgressForwarder(
                acceptor,
                EgressAllowlist.of(List.of("upstream.test")),
                (host, port, connectTimeout, readTimeout) ->
                    new LoopbackTcpTransport(upstream.port()).connect(),
                4,
                EgressForwarderTest.DAEMONS,
                e -> {})) {
      forwarder.start();
      Connection relayed =
          new EgressClient(acceptor.endpoint())
              .connect(
                  "upstream.test", 443, EgressForwarderTest.TIMEOUT, EgressForwarderTest.TIMEOUT);

      try (SSLSocket tls =
          (SSLSocket)
              clientTrusting(certificate)
                  .getSocketFactory()
                  .createSocket(new ConnectionSocket(relayed), "upstream.test", 443, true)) {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);

        assertThatThrownBy(tls::startHandshake).isInstanceOf(SSLHandshakeException.class);
      }
    }
  }

  /** Copies everything the enclave sends upstream into {@code seen}, as a snooping host could. */
  private static Connection recording(Connection upstream, ByteArrayOutputStream seen) {
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            synchronized (seen) {
              seen.write(b, off, len);
            }
            upstream.output().write(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            upstream.output().flush();
          }
        };
    return new Connection() {
      @Override
      public InputStream input() {
        return upstream.input();
      }

      @Override
      public OutputStream output() {
        return tee;
      }

      @Override
      public void shutdownOutput() throws IOException {
        upstream.shutdownOutput();
      }

      @Override
      public String peer() {
        return upstream.peer();
      }

      @Override
      public void close() throws IOException {
        upstream.close();
      }
    };
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate selfSigned(KeyPair key, String dnsName) throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=" + dnsName);
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.HOURS)),
            name,
            key.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
  }

  private static SSLContext serverContext(KeyPair key, X509Certificate certificate)
      throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "upstream", key.getPrivate(), new char[0], new X509Certificate[] {certificate});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static SSLContext clientTrusting(X509Certificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("upstream", certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
