package dev.teec.enclave.proxy;

import static dev.teec.enclave.proxy.Fixtures.awaitRecords;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The one test that uses the real network: a small jar from Maven Central through the proxy, with
 * the JDK's default trust store validating the real server. Skipped, with the reason printed, when
 * Maven Central cannot be reached or the jar is not in the local Maven repository to compare with.
 */
class MavenCentralThroughProxyTest {

  private static final String HOST = "repo.maven.apache.org";
  private static final String PATH = "org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar";

  private static void skip(String reason) {
    System.out.println("MavenCentralThroughProxyTest skipped: " + reason);
    Assumptions.abort(reason);
  }

  @Test
  void realJar_fetchedThroughProxy_recordedHashEqualsLocalCopy() throws Exception {
    Path local =
        Path.of(
            System.getProperty(
                "maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()),
            PATH);
    if (!Files.isRegularFile(local)) {
      skip("no local copy of " + PATH + " to compare with");
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(HOST, 443), 3000);
    } catch (IOException e) {
      skip(HOST + " is not reachable (" + e + ")");
    }
    ProxyCa ca = Fixtures.newCa();
    try (RecordingProxy proxy =
        RecordingProxy.builder(ca)
            .allowlist(HostAllowlist.of(HOST))
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(20))
            .start()) {
      HttpClient client =
          HttpClient.newBuilder()
              .proxy(ProxySelector.of(proxy.address()))
              .sslContext(Fixtures.trusting(ca.certificate()))
              .build();
      String url = "https://" + HOST + "/maven2/" + PATH;
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofByteArray());

      byte[] expected = Files.readAllBytes(local);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(expected);
      NetworkRecord r = awaitRecords(proxy, 1).get(0);
      assertThat(r.url()).isEqualTo(url);
      assertThat(r.sha256()).isEqualTo(TestServer.sha256(expected));
      assertThat(r.size()).isEqualTo(expected.length);
    }
  }
}
