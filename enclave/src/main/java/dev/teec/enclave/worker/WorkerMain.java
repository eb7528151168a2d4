package dev.teec.enclave.worker;

import dev.teec.enclave.nsm.CodeDigestCache;
import dev.teec.enclave.nsm.DeviceNsm;
import dev.teec.enclave.nsm.Nsm;
import dev.teec.enclave.nsm.NsmException;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.WorkerHello;
import dev.teec.enclave.protocol.WorkerMode;
import dev.teec.enclave.protocol.egress.EgressClient;
import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.transport.Acceptor;
import dev.teec.enclave.protocol.transport.LoopbackTcpTransport;
import dev.teec.enclave.protocol.transport.Transport;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.enclave.protocol.transport.VsockTransport;
import dev.teec.enclave.proxy.ContentCache;
import dev.teec.enclave.proxy.OfflineReplay;
import dev.teec.enclave.proxy.UpstreamTrust;
import dev.teec.enclave.runner.HostToolchains;
import dev.teec.enclave.runner.IsolationMode;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.formats.report.EnclaveRuntime;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.ReportFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The worker process: {@code WorkerMain --listen vsock:5000 --nsm device} inside an enclave image,
 * {@code --listen unix:/path --nsm simulated} locally. Exit codes: 0 after {@code --once} served a
 * session, 2 for bad arguments, 3 when the worker cannot start.
 */
public final class WorkerMain {
  private static final String USAGE =
      "usage: WorkerMain --listen tcp:PORT|unix:PATH|vsock:PORT [--nsm device|simulated]"
          + " [--teec-home DIR] [--build-root DIR] [--path PATH] [--isolation auto|none|netns] [--egress-port N]"
          + " [--egress-cid N]"
          + " [--replay-report REPORT.json --replay-cache DIR] [--upstream-ca-bundle PEM]"
          + " [--host-toolchains [--toolchain-env NAME=VALUE]...] [--once]";

  private WorkerMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("teec-worker: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      Clock clock = Clock.systemUTC();
      boolean device = o.nsm.equals("device");
      Nsm nsm =
          device
              ? DeviceNsm.open()
              : SimulatedNsm.open(
                  o.teecHome,
                  clock,
                  WorkerIdentity.fromSystemProperties(
                      "teec-worker " + version(),
                      System.getProperties(),
                      CodeDigestCache.of(o.teecHome)));
      RunnerConfig runner =
          RunnerConfig.defaults()
              .withBuildRoot(o.buildRoot)
              .withPath(o.path)
              .withIsolation(isolation(device, o.isolation, err));
      if (o.hostToolchains != null) {
        runner = runner.withHostToolchains(o.hostToolchains);
      }
      WorkerConfig config =
          new WorkerConfig(
              nsm,
              device,
              runner,
              device
                  ? new EgressClient(new VsockTransport(o.egressCid, o.egressPort))
                  : TcpUpstreamConnector.anyAddress(),
              List.of(),
              null,
              version(),
              clock,
              new SecureRandom());
      if (device) {
        config = config.withEnclaveRuntime(new EnclaveRuntime(DeviceNsm.DEVICE, o.egressCid));
      }
      if (o.upstreamCaBundle != null) {
        config = config.withUpstreamTls(UpstreamTrust.fromPemBundle(o.upstreamCaBundle));
      }
      if (o.replayReport != null) {
        config = config.withReplay(replay(o.replayReport, o.replayCache));
      }
      WorkerServer server =
          new WorkerServer(
              new Worker(config),
              WorkerHello.of(
                  "teec-worker " + version(),
                  List.of("build"),
                  device ? WorkerMode.NITRO : WorkerMode.SIMULATED),
              SessionLimits.DEFAULT,
              o.buildRoot.resolveSibling(o.buildRoot.getFileName() + "-spool"));
      try (Acceptor acceptor = o.listen.listen()) {
        out.println("teec-worker: listening on " + acceptor.endpoint() + ", NSM " + nsm.describe());
        out.flush();
        if (o.once) {
          server.serveOne(acceptor.accept());
        } else {
          server.serve(acceptor);
        }
      }
      return 0;
    } catch (NsmException | IOException e) {
      err.println("teec-worker: " + e.getMessage());
      return 3;
    }
  }

  /**
   * Offline replay of the network resources recorded in {@code report} (a build report, W3), bodies
   * from the content-addressed {@code cache}.
   */
  private static OfflineReplay replay(Path report, Path cache) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(report);
    } catch (IOException e) {
      throw new IOException("cannot read --replay-report " + report + ": " + e, e);
    }
    try {
      return OfflineReplays.of(ProvenanceReport.parse(bytes), new ContentCache(cache));
    } catch (ReportFormatException e) {
      throw new IOException("--replay-report " + report + ": " + e.getMessage(), e);
    }
  }

  /**
   * In an enclave the enclave itself isolates the build. Locally, {@code auto} uses a network
   * namespace where this machine allows one (the report then says isolation was enforced), and says
   * so when it cannot.
   */
  private static IsolationMode isolation(boolean device, String requested, PrintStream err) {
    if (device) {
      return IsolationMode.ENCLAVE;
    }
    switch (requested) {
      case "netns":
        return IsolationMode.NETWORK_NAMESPACE;
      case "none":
        return IsolationMode.NONE;
      default:
        if (IsolationMode.networkNamespacesAvailable()) {
          return IsolationMode.NETWORK_NAMESPACE;
        }
        err.println(
            "teec-worker: network namespaces are not available here; builds run without network"
                + " isolation (the report says so)");
        return IsolationMode.NONE;
    }
  }

  private static String version() {
    String v = WorkerMain.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Parsed command line. */
  private record Options(
      Transport listen,
      String nsm,
      Path teecHome,
      Path buildRoot,
      String path,
      String isolation,
      long egressPort,
      long egressCid,
      Path replayReport,
      Path replayCache,
      Path upstreamCaBundle,
      HostToolchains hostToolchains,
      boolean once) {
    static Options parse(String[] args) {
      Transport listen = null;
      String nsm = "simulated";
      Path home = TeecHome.resolve(System.getenv(), System.getProperty("user.home"));
      Path buildRoot = RunnerConfig.defaults().buildRoot();
      String path = RunnerConfig.DEFAULT_PATH;
      String isolation = "auto";
      long egressPort = EgressClient.DEFAULT_VSOCK_PORT;
      long egressCid = VsockTransport.CID_NITRO_PARENT;
      boolean once = false;
      Path replayReport = null;
      Path replayCache = null;
      Path upstreamCaBundle = null;
      boolean hostToolchains = false;
      SortedMap<String, String> toolchainEnv = new TreeMap<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--once" -> once = true;
          case "--listen" -> listen = transport(value(args, ++i, a));
          case "--nsm" -> nsm = oneOf(value(args, ++i, a), a, "device", "simulated");
          case "--teec-home" -> home = Path.of(value(args, ++i, a)).toAbsolutePath();
          case "--build-root" -> buildRoot = Path.of(value(args, ++i, a)).toAbsolutePath();
          // Local builds may need toolchains outside the default PATH (e.g. ~/.cargo/bin).
          case "--path" -> {
            path = value(args, ++i, a);
            if (path.isEmpty() || path.indexOf('\0') >= 0) {
              throw new IllegalArgumentException("--path must be a non-empty PATH value");
            }
          }
          case "--isolation" -> isolation = oneOf(value(args, ++i, a), a, "auto", "none", "netns");
          case "--egress-port" -> egressPort = number(value(args, ++i, a), a);
          // The host's CID as the guest dials it: 3 on Nitro, 2 through QEMU's vsock backend.
          case "--egress-cid" -> egressCid = cid(value(args, ++i, a), a);
          case "--replay-report" -> replayReport = Path.of(value(args, ++i, a)).toAbsolutePath();
          case "--replay-cache" -> replayCache = Path.of(value(args, ++i, a)).toAbsolutePath();
          // Local builds run the host's toolchains (SPEC W2); an enclave's are its image's.
          case "--host-toolchains" -> hostToolchains = true;
          case "--toolchain-env" -> {
            String v = value(args, ++i, a);
            int eq = v.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException(
                  "--toolchain-env '" + v + "': expected NAME=VALUE");
            }
            toolchainEnv.put(v.substring(0, eq), v.substring(eq + 1));
          }
          case "--upstream-ca-bundle" ->
              upstreamCaBundle = Path.of(value(args, ++i, a)).toAbsolutePath();
          default -> throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      }
      if (listen == null) {
        throw new IllegalArgumentException("--listen is required");
      }
      if ((replayReport == null) != (replayCache == null)) {
        throw new IllegalArgumentException("--replay-report and --replay-cache go together");
      }
      if (!toolchainEnv.isEmpty() && !hostToolchains) {
        throw new IllegalArgumentException("--toolchain-env needs --host-toolchains");
      }
      if (hostToolchains && nsm.equals("device")) {
        throw new IllegalArgumentException(
            "--host-toolchains is for local workers: an enclave image fixes its toolchain");
      }
      HostToolchains host = hostToolchains ? new HostToolchains(toolchainEnv) : null;
      return new Options(
          listen,
          nsm,
          home,
          buildRoot,
          path,
          isolation,
          egressPort,
          egressCid,
          replayReport,
          replayCache,
          upstreamCaBundle,
          host,
          once);
    }

    private static Transport transport(String spec) {
      int colon = spec.indexOf(':');
      String kind = colon < 0 ? spec : spec.substring(0, colon);
      String rest = colon < 0 ? "" : spec.substring(colon + 1);
      return switch (kind) {
        case "tcp" -> new LoopbackTcpTransport((int) number(rest, "--listen tcp"));
        case "unix" -> new UnixSocketTransport(Path.of(rest).toAbsolutePath());
        case "vsock" -> new VsockTransport(VsockTransport.CID_ANY, number(rest, "--listen vsock"));
        default ->
            throw new IllegalArgumentException(
                "--listen '" + spec + "': expected tcp:PORT, unix:PATH or vsock:PORT");
      };
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static String oneOf(String v, String option, String... allowed) {
      if (!List.of(allowed).contains(v)) {
        throw new IllegalArgumentException(
            option + " '" + v + "': expected one of " + List.of(allowed));
      }
      return v;
    }

    private static long cid(String v, String option) {
      try {
        long n = Long.parseLong(v);
        if (n < 0 || n > EnclaveRuntime.MAX_CID) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            option + " '" + v + "' is not a vsock CID (0.." + EnclaveRuntime.MAX_CID + ")");
      }
    }

    private static long number(String v, String option) {
      try {
        long n = Long.parseLong(v);
        if (n < 0 || n > 0xFFFF_FFFFL) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " '" + v + "' is not a port number");
      }
    }
  }
}
