package dev.teec.enclave.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The environment variables, and the files they point to, that make the build's toolchains send
 * their traffic through the {@link RecordingProxy} and trust its {@link ProxyCa}: one set for every
 * language, since a build may mix tools (a Maven build that runs npm, a cargo build script that
 * runs curl). SPEC.md (W7) gives the reason for each variable.
 *
 * <p>The CA certificate replaces the system trust list rather than adding to it where a tool allows
 * ({@code SSL_CERT_FILE}, {@code npm_config_cafile}, ...): through the proxy, every server the
 * build sees presents a certificate of this CA and no other, so nothing else needs trusting.
 */
public final class ToolchainEnvironment {

  /** File name of the CA certificate (PEM) written by {@link #write}. */
  public static final String CA_PEM = "proxy-ca.pem";

  /** File name of the PKCS12 trust store written by {@link #write}. */
  public static final String CA_TRUSTSTORE = "proxy-ca.p12";

  /** File name of the Maven settings written by {@link #write}. */
  public static final String MAVEN_SETTINGS = "proxy-maven-settings.xml";

  /**
   * Loopback stays inside the build sandbox: it is not a network input, so it bypasses the proxy.
   */
  static final String NO_PROXY = "localhost,127.0.0.1,::1";

  private ToolchainEnvironment() {}

  /**
   * Writes {@link #CA_PEM}, {@link #CA_TRUSTSTORE} and {@link #MAVEN_SETTINGS} into {@code dir}
   * (created if needed; each file atomically) and returns {@link #forProxy} for them. The build
   * needs to read these files, and should not be able to modify them.
   *
   * @param proxy the address the build connects to: {@link RecordingProxy#address()}
   */
  public static SortedMap<String, String> write(ProxyCa ca, InetSocketAddress proxy, Path dir)
      throws IOException {
    Path absolute = dir.toAbsolutePath();
    Path pem = absolute.resolve(CA_PEM);
    Path truststore = absolute.resolve(CA_TRUSTSTORE);
    Path settings = absolute.resolve(MAVEN_SETTINGS);
    SortedMap<String, String> variables = forProxy(proxy, pem, truststore, settings);
    ca.writePem(pem);
    ca.writeTruststore(truststore);
    AtomicFiles.write(settings, mavenSettings(proxy).getBytes(StandardCharsets.UTF_8));
    return variables;
  }

  /**
   * The variables, sorted by name, for a proxy at {@code proxy} and the given files (the CA
   * certificate as PEM, the PKCS12 trust store from {@link ProxyCa#writeTruststore}, the Maven
   * settings from {@link #mavenSettings}). A runner that also has values of its own for {@code
   * JAVA_TOOL_OPTIONS} or {@code MAVEN_ARGS} must append them to these, not replace them.
   *
   * @throws IllegalArgumentException if {@code proxy} is a wildcard address, or a path is not
   *     absolute or contains whitespace, quotes or control characters (JVM and Maven options are
   *     split on spaces)
   */
  public static SortedMap<String, String> forProxy(
      InetSocketAddress proxy, Path caPemFile, Path caTruststore, Path mavenSettings) {
    String host = host(proxy);
    int port = proxy.getPort();
    String url = "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    String pem = checkedPath(caPemFile, "caPemFile");
    String truststore = checkedPath(caTruststore, "caTruststore");
    String settings = checkedPath(mavenSettings, "mavenSettings");

    TreeMap<String, String> env = new TreeMap<>();
    // The de-facto standard, read by curl, git, pip, requests, Go, cargo, npm, Python, Ruby.
    // curl reads only the lower-case http_proxy (httpoxy), others only upper case: set both.
    env.put("http_proxy", url);
    env.put("https_proxy", url);
    env.put("HTTP_PROXY", url);
    env.put("HTTPS_PROXY", url);
    env.put("no_proxy", NO_PROXY);
    env.put("NO_PROXY", NO_PROXY);
    // OpenSSL's default CA file: curl, git (OpenSSL builds), Python's ssl, Ruby, uv, and Go's
    // crypto/x509 on Linux, which reads SSL_CERT_FILE instead of the system bundle.
    env.put("SSL_CERT_FILE", pem);
    // curl (and Python requests) CA bundle.
    env.put("CURL_CA_BUNDLE", pem);
    // git over https (libcurl), also used by Go's "direct" module fetches and cargo's git CLI.
    env.put("GIT_SSL_CAINFO", pem);
    // cargo: registry and git dependencies (libcurl, libgit2).
    env.put("CARGO_HTTP_CAINFO", pem);
    env.put("CARGO_HTTP_PROXY", url);
    // Node.js adds this CA to its built-in list; npm replaces its list with cafile.
    env.put("NODE_EXTRA_CA_CERTS", pem);
    // Node.js 24+ routes its own http/fetch through HTTP(S)_PROXY only when this is set.
    env.put("NODE_USE_ENV_PROXY", "1");
    env.put("npm_config_cafile", pem);
    env.put("npm_config_proxy", url);
    env.put("npm_config_https_proxy", url);
    // Yarn 2+ ignores npm's settings and reads its own.
    env.put("YARN_CA_FILE_PATH", pem);
    env.put("YARN_HTTP_PROXY", url);
    env.put("YARN_HTTPS_PROXY", url);
    // pip (its vendored requests) and requests-based tools.
    env.put("PIP_CERT", pem);
    env.put("PIP_PROXY", url);
    env.put("REQUESTS_CA_BUNDLE", pem);
    // Every JVM (Maven up to 3.8, Gradle, sbt, plain Java): proxy properties and a trust store
    // holding only the build CA. Loopback bypasses the proxy by the JDK's default nonProxyHosts.
    env.put(
        "JAVA_TOOL_OPTIONS",
        String.join(
            " ",
            "-Dhttp.proxyHost=" + host,
            "-Dhttp.proxyPort=" + port,
            "-Dhttps.proxyHost=" + host,
            "-Dhttps.proxyPort=" + port,
            "-Djavax.net.ssl.trustStore=" + truststore,
            "-Djavax.net.ssl.trustStoreType=PKCS12",
            "-Djavax.net.ssl.trustStorePassword=" + ProxyCa.TRUSTSTORE_PASSWORD));
    // Maven 3.9+ (native HTTP transport) ignores the JVM proxy properties and reads proxies only
    // from settings; MAVEN_ARGS (3.9+) adds them as global settings, so a project's or user's
    // own settings still apply on top.
    env.put("MAVEN_ARGS", "--global-settings " + settings);
    return Collections.unmodifiableSortedMap(env);
  }

  /**
   * Maven settings declaring the proxy for http and https repositories (loopback excluded), as
   * written to {@link #MAVEN_SETTINGS}.
   */
  public static String mavenSettings(InetSocketAddress proxy) {
    String host = host(proxy);
    StringBuilder xml =
        new StringBuilder()
            .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .append(
                "<!-- Written by the teec build worker: all downloads go through its recording proxy. -->\n")
            .append("<settings xmlns=\"http://maven.apache.org/SETTINGS/1.2.0\">\n")
            .append("  <proxies>\n");
    for (String protocol : new String[] {"https", "http"}) {
      xml.append("    <proxy>\n")
          .append("      <id>teec-build-proxy-")
          .append(protocol)
          .append("</id>\n")
          .append("      <active>true</active>\n")
          .append("      <protocol>")
          .append(protocol)
          .append("</protocol>\n")
          .append("      <host>")
          .append(host)
          .append("</host>\n")
          .append("      <port>")
          .append(proxy.getPort())
          .append("</port>\n")
          .append("      <nonProxyHosts>localhost|127.0.0.1|::1</nonProxyHosts>\n")
          .append("    </proxy>\n");
    }
    return xml.append("  </proxies>\n").append("</settings>\n").toString();
  }

  // An IP literal, so that no tool needs DNS to find the proxy.
  private static String host(InetSocketAddress proxy) {
    Objects.requireNonNull(proxy, "proxy");
    InetAddress address = proxy.getAddress();
    if (address == null) {
      throw new IllegalArgumentException("proxy address " + proxy + " is unresolved");
    }
    if (address.isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          "proxy address " + proxy + " is a wildcard; give the address the build connects to");
    }
    String host = address.getHostAddress();
    int scope = host.indexOf('%');
    return scope < 0 ? host : host.substring(0, scope);
  }

  private static String checkedPath(Path path, String what) {
    Objects.requireNonNull(path, what);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException(what + " must be an absolute path, got " + path);
    }
    String s = path.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)
          || c < 0x20
          || c == 0x7f
          || c == '"'
          || c == '\''
          || c == '\\') {
        throw new IllegalArgumentException(
            what
                + " "
                + Hosts.quote(s)
                + " contains whitespace, a quote or a control character; JVM and Maven options cannot carry it");
      }
    }
    return s;
  }
}
