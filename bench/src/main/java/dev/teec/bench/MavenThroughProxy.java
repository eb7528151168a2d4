package dev.teec.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.net.httpserver.HttpsServer;
import dev.teec.builder.launch.LocalWorkerLauncher;
import dev.teec.enclave.proxy.HostAllowlist;
import dev.teec.enclave.proxy.NetworkRecord;
import dev.teec.enclave.proxy.ProxyCa;
import dev.teec.enclave.proxy.RecordingProxy;
import dev.teec.enclave.proxy.ToolchainEnvironment;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The whole-process figure of issue 13 for Maven: {@code mvn -B package} of a project with an empty
 * local repository, bare and through the {@link RecordingProxy}, alternating, against the same
 * HTTPS Maven repository served from a local directory (so Maven Central's variance does not drown
 * the proxy's cost). The proxied runs get the environment and Maven settings the worker gives a
 * build ({@link ToolchainEnvironment}); both get the same mirror settings. Run by {@code
 * bench/maven-proxy.sh}, which prepares the repository and the server's key.
 *
 * <p>Arguments: REPO_DIR PROJECT_DIR WORK_DIR KEYSTORE(PKCS12, password "changeit") TRUSTSTORE HOST
 * RUNS. HOST is the address the repository server binds and Maven connects to; it must not be
 * loopback, which the proxy settings exempt. Prints one line per run and a summary; exits non-zero
 * if a build fails or a proxied run leaves any fetch unrecorded or undigested.
 */
public final class MavenThroughProxy {

  private MavenThroughProxy() {}

  /** One timed build. */
  record Run(
      String kind,
      double wallSeconds,
      double userSeconds,
      double sysSeconds,
      double proxyCpu,
      double serverCpu) {}

  /**
   * The proxy in a JVM of its own, started fresh for each proxied build as a local build's worker
   * (so its JIT warm-up counts): the worker's options ({@link LocalWorkerLauncher#JVM_OPTIONS}),
   * the CLI jar first on the class path and its class-data sharing archive mapped (system
   * properties {@code teec.bench.workerJar} and {@code teec.bench.workerArchive}, set by
   * bench/maven-proxy.sh), so the proxy's classes come from where the worker's come from. Runs
   * under /usr/bin/time for its CPU time.
   */
  private record ProxyProcess(
      Process process, BufferedReader out, Map<String, String> environment, Path times) {

    static ProxyProcess start(String host, Path truststore, Path work) throws IOException {
      Path times = work.resolve("time-proxy.txt");
      Path envFile = work.resolve("proxy-env.properties");
      Files.deleteIfExists(envFile);
      List<String> command =
          new ArrayList<>(
              List.of(
                  "/usr/bin/time",
                  "-o",
                  times.toString(),
                  "-f",
                  "%e %U %S",
                  Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(LocalWorkerLauncher.JVM_OPTIONS);
      // -Xshare:on, not the launcher's auto: an archive that does not map fails the run instead
      // of silently measuring a JVM without it.
      command.addAll(
          List.of("-XX:SharedArchiveFile=" + required("teec.bench.workerArchive"), "-Xshare:on"));
      // Extra options for the proxy JVM, e.g. a flight recording to see where its time goes.
      String options = System.getenv("PROXY_JAVA_OPTS");
      if (options != null && !options.isBlank()) {
        command.addAll(List.of(options.trim().split("\\s+")));
      }
      command.addAll(
          List.of(
              "-cp",
              required("teec.bench.workerJar")
                  + File.pathSeparator
                  + System.getProperty("java.class.path"),
              MavenThroughProxy.class.getName(),
              "proxy",
              host,
              truststore.toString(),
              work.toString()));
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = lineStarting(out, "READY");
      if (line == null) {
        throw new IllegalStateException("the proxy process did not start");
      }
      Properties env = new Properties();
      try (InputStream in = Files.newInputStream(envFile)) {
        env.load(in);
      }
      Map<String, String> map = new HashMap<>();
      env.stringPropertyNames().forEach(k -> map.put(k, env.getProperty(k)));
      return new ProxyProcess(p, out, map, times);
    }

    /** Stops the proxy; returns how many fetches it recorded, all complete with a digest. */
    int finish() throws IOException, InterruptedException {
      process.getOutputStream().close();
      String line = lineStarting(out, "RECORDS ");
      if (process.waitFor() != 0 || line == null) {
        throw new IllegalStateException("the proxy process failed: " + line);
      }
      return Integer.parseInt(line.substring("RECORDS ".length()));
    }

    private static String required(String property) {
      String value = System.getProperty(property);
      if (value == null || value.isEmpty()) {
        throw new IllegalStateException(
            "system property " + property + " is not set (bench/maven-proxy.sh sets it)");
      }
      return value;
    }

    /** The first line starting with {@code prefix}; JVM options may print lines of their own. */
    private static String lineStarting(BufferedReader out, String prefix) throws IOException {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith(prefix)) {
        System.out.println("proxy JVM: " + line);
      }
      return line;
    }

    double cpuSeconds() throws IOException {
      String[] t = Files.readString(times).trim().split("\\s+");
      return Double.parseDouble(t[1]) + Double.parseDouble(t[2]);
    }
  }

  /**
   * The proxy process: starts a {@link RecordingProxy} as the worker does, writes the build's
   * environment to WORK/proxy-env.properties, says READY, and serves until standard input ends;
   * then checks that every fetch was recorded complete with a digest and says RECORDS n.
   */
  private static void serveProxy(String host, Path truststore, Path work) throws Exception {
    ProxyCa ca = ProxyCa.generate(new SecureRandom(), Clock.systemUTC());
    try (RecordingProxy proxy =
        RecordingProxy.builder(ca)
            .allowlist(HostAllowlist.of(host))
            .upstreamTls(trusting(truststore))
            .start()) {
      Map<String, String> env =
          ToolchainEnvironment.write(ca, proxy.address(), work.resolve("proxy-trust"));
      Properties properties = new Properties();
      properties.putAll(env);
      try (OutputStream out = Files.newOutputStream(work.resolve("proxy-env.properties"))) {
        properties.store(out, null);
      }
      System.out.println("READY");
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
      List<NetworkRecord> records = proxy.records();
      for (NetworkRecord r : records) {
        if (r.error() != null || r.sha256() == null) {
          System.err.println("fetch not recorded complete with a digest: " + r);
          System.exit(3);
        }
      }
      if (records.isEmpty()) {
        System.err.println("the proxied build fetched nothing through the proxy");
        System.exit(3);
      }
      System.out.println("RECORDS " + records.size());
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("proxy")) {
      serveProxy(args[1], Path.of(args[2]), Path.of(args[3]));
      return;
    }
    if (args.length != 7) {
      System.err.println(
          "usage: MavenThroughProxy REPO_DIR PROJECT_DIR WORK_DIR KEYSTORE TRUSTSTORE HOST RUNS");
      System.exit(2);
    }
    Path repo = Path.of(args[0]).toAbsolutePath();
    Path project = Path.of(args[1]).toAbsolutePath();
    Path work = Path.of(args[2]).toAbsolutePath();
    Path keystore = Path.of(args[3]).toAbsolutePath();
    Path truststore = Path.of(args[4]).toAbsolutePath();
    String host = args[5];
    int runs = Integer.parseInt(args[6]);
    if (runs < 1) {
      System.err.println("RUNS must be at least 1, got " + runs);
      System.exit(2);
    }

    HttpsServer server = LocalMavenRepository.start(repo, host, keystore);
    String mirror = "https://" + host + ":" + server.getAddress().getPort() + "/maven2";
    Path mirrorSettings = work.resolve("mirror-settings.xml");
    Files.writeString(mirrorSettings, mirrorSettings(mirror));

    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<Run> results = new ArrayList<>();
    try {
      int expectedFetches = -1;
      // Run 0 of each kind warms the page cache and is not counted.
      for (int i = 0; i <= runs; i++) {
        for (String kind : List.of("bare", "proxied")) {
          Run run;
          String note = "";
          if (kind.equals("bare")) {
            long cpuBefore = os.getProcessCpuTime();
            run = build(kind, project, work, mirrorSettings, Map.of(), truststore);
            double serverCpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            run =
                new Run(kind, run.wallSeconds(), run.userSeconds(), run.sysSeconds(), 0, serverCpu);
          } else {
            ProxyProcess proxy = ProxyProcess.start(host, truststore, work);
            long cpuBefore = os.getProcessCpuTime();
            run = build(kind, project, work, mirrorSettings, proxy.environment(), truststore);
            double serverCpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            int fetched = proxy.finish();
            if (expectedFetches >= 0 && fetched != expectedFetches) {
              throw new IllegalStateException(
                  "proxied build recorded " + fetched + " fetches, before " + expectedFetches);
            }
            expectedFetches = fetched;
            run =
                new Run(
                    kind,
                    run.wallSeconds(),
                    run.userSeconds(),
                    run.sysSeconds(),
                    proxy.cpuSeconds(),
                    serverCpu);
            note = ", " + fetched + " fetches recorded with digests";
          }
          System.out.printf(
              Locale.ROOT,
              "%s run %d: wall %.2f s, mvn user+sys %.2f s, proxy JVM user+sys %.2f s,"
                  + " repository server CPU %.2f s%s%n",
              kind,
              i,
              run.wallSeconds(),
              run.userSeconds() + run.sysSeconds(),
              run.proxyCpu(),
              run.serverCpu(),
              note);
          if (i > 0) {
            results.add(run);
          }
        }
      }
    } finally {
      server.stop(0);
    }
    summary(results);
  }

  private static Run build(
      String kind,
      Path project,
      Path work,
      Path mirrorSettings,
      Map<String, String> env,
      Path truststore)
      throws IOException, InterruptedException {
    Path localRepo = work.resolve("local-repo-" + kind);
    Path copy = work.resolve("project-" + kind);
    deleteTree(localRepo);
    deleteTree(copy);
    copyTree(project, copy);
    Path times = work.resolve("time-" + kind + ".txt");
    List<String> command = new ArrayList<>();
    command.addAll(List.of("/usr/bin/time", "-o", times.toString(), "-f", "%e %U %S"));
    command.addAll(
        List.of(
            "mvn",
            "-B",
            "-q",
            "-s",
            mirrorSettings.toString(),
            "-Dmaven.repo.local=" + localRepo,
            "package"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(copy.toFile()).inheritIO();
    pb.redirectOutput(work.resolve("mvn-" + kind + ".log").toFile());
    Map<String, String> environment = pb.environment();
    environment.remove("MAVEN_OPTS");
    environment.remove("JAVA_TOOL_OPTIONS");
    environment.remove("MAVEN_ARGS");
    if (env.isEmpty()) {
      // The bare build trusts the repository's certificate directly.
      environment.put(
          "MAVEN_OPTS",
          "-Djavax.net.ssl.trustStore="
              + truststore
              + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=changeit");
    } else {
      environment.putAll(env);
      // Maven 3.8's mvn script ignores MAVEN_ARGS (3.9+): pass its settings the same way.
      command.add(command.size() - 1, env.get("MAVEN_ARGS").split(" ")[0]);
      command.add(command.size() - 1, env.get("MAVEN_ARGS").split(" ")[1]);
      pb.command(command);
    }
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(
          kind
              + " build failed with exit "
              + exit
              + "; see "
              + work.resolve("mvn-" + kind + ".log"));
    }
    String[] t = Files.readString(times).trim().split("\\s+");
    return new Run(
        kind, Double.parseDouble(t[0]), Double.parseDouble(t[1]), Double.parseDouble(t[2]), 0, 0);
  }

  private static void summary(List<Run> results) {
    Map<String, List<Run>> byKind = new HashMap<>();
    for (Run r : results) {
      byKind.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r);
    }
    double bareWall = median(byKind.get("bare"), Run::wallSeconds);
    double proxiedWall = median(byKind.get("proxied"), Run::wallSeconds);
    for (String kind : List.of("bare", "proxied")) {
      List<Run> rs = byKind.get(kind);
      System.out.printf(
          Locale.ROOT,
          "%-8s n=%d  wall median %.2f s (min %.2f, max %.2f)  mvn user+sys median %.2f s"
              + "  proxy JVM user+sys median %.2f s  repository server CPU median %.2f s%n",
          kind,
          rs.size(),
          median(rs, Run::wallSeconds),
          rs.stream().mapToDouble(Run::wallSeconds).min().orElseThrow(),
          rs.stream().mapToDouble(Run::wallSeconds).max().orElseThrow(),
          median(rs, r -> r.userSeconds() + r.sysSeconds()),
          median(rs, Run::proxyCpu),
          median(rs, Run::serverCpu));
    }
    System.out.printf(
        Locale.ROOT,
        "overhead (median wall, proxied over bare): %+.1f %%%n",
        (proxiedWall / bareWall - 1) * 100);
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    List<Double> values = new ArrayList<>();
    for (Run r : runs) {
      values.add(f.applyAsDouble(r));
    }
    Collections.sort(values);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  private static String mirrorSettings(String url) {
    return "<settings xmlns=\"http://maven.apache.org/SETTINGS/1.2.0\">\n"
        + "  <mirrors><mirror><id>bench</id><mirrorOf>*</mirrorOf><url>"
        + url
        + "</url></mirror></mirrors>\n"
        + "</settings>\n";
  }

  private static SSLContext trusting(Path truststore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(truststore)) {
      ks.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(f);
      }
    }
  }
}
