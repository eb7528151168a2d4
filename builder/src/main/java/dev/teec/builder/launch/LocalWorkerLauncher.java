package dev.teec.builder.launch;

import dev.teec.enclave.protocol.transport.Connection;
import dev.teec.enclave.protocol.transport.UnixSocketTransport;
import dev.teec.formats.files.FileTrees;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts {@code dev.teec.enclave.worker.WorkerMain} as a separate process with the simulated NSM,
 * serving one session ({@code --once}) on a Unix socket in a private directory: the same worker,
 * protocol and bundle format as in an enclave, only the attestation is simulated.
 *
 * <p>The worker runs in its own session ({@code setsid}) when that tool exists, so a Ctrl-C in the
 * terminal reaches only the client, which then cancels the build and stops the worker in order (the
 * worker kills the build's processes when its client goes). Closing the handle waits briefly for
 * that, then kills whatever is left of the worker's process tree.
 */
public final class LocalWorkerLauncher implements EnclaveLauncher {
  /** The worker's entry point. */
  public static final String WORKER_MAIN = "dev.teec.enclave.worker.WorkerMain";

  /**
   * The worker JVM's own options, before the class-data sharing ones of {@link
   * LocalWorkerSettings#jvmOptions()}. Public so that bench/maven-proxy.sh runs the recording proxy
   * in a JVM configured exactly as a local build's.
   */
  public static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC");

  private static final String READY = "teec-worker: listening on ";
  private static final long EXIT_GRACE_MILLIS = 5_000;

  private final LocalWorkerSettings settings;

  /**
   * @param settings how to start the worker
   */
  public LocalWorkerLauncher(LocalWorkerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The command line that starts the worker listening on {@code socket}. */
  List<String> command(Path socket) {
    List<String> command = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      command.add(setsid.toString());
    }
    command.add(settings.javaBinary().toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(settings.jvmOptions());
    command.addAll(
        List.of(
            "-cp",
            settings.classPath(),
            WORKER_MAIN,
            "--listen",
            "unix:" + socket,
            "--nsm",
            "simulated",
            "--teec-home",
            settings.teecHome().toString(),
            "--build-root",
            settings.buildRoot().toString(),
            "--path",
            settings.path(),
            "--isolation",
            settings.isolation(),
            "--host-toolchains"));
    settings
        .toolchainEnvironment()
        .forEach((name, value) -> command.addAll(List.of("--toolchain-env", name + "=" + value)));
    command.add("--once");
    return command;
  }

  @Override
  public String kind() {
    return "local worker (simulated NSM)";
  }

  @Override
  public WorkerHandle launch(Consumer<String> notes) throws LaunchException, InterruptedException {
    Path dir;
    try {
      dir =
          Files.createTempDirectory(
              socketBase(),
              "teec-w",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new LaunchException(
          "cannot create a directory for the worker's socket: " + e.getMessage(), e);
    }
    Path socket = dir.resolve("w.sock");
    Process process;
    try {
      ProcessBuilder pb = new ProcessBuilder(command(socket));
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      process = pb.start();
    } catch (IOException e) {
      FileTrees.deleteQuietly(dir);
      throw new LaunchException(
          "cannot start the local worker with " + settings.javaBinary() + ": " + e.getMessage(), e);
    }
    LocalWorker worker = new LocalWorker(process, socket, dir);
    CompletableFuture<String> ready = new CompletableFuture<>();
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    pump(
        process.getInputStream(),
        "teec-worker-out",
        line -> {
          if (!ready.isDone() && line.startsWith(READY)) {
            ready.complete(line.substring(READY.length()));
          } else {
            notes.accept(line);
          }
        });
    Thread errors =
        pump(
            process.getErrorStream(),
            "teec-worker-err",
            line -> {
              stderr.add(line);
              notes.accept(line);
            });
    process
        .onExit()
        .thenRun(
            () -> {
              // The exit can be noticed before its last words are read: wait (briefly) for the
              // pump.
              try {
                errors.join(2_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              ready.completeExceptionally(
                  new IOException(
                      "the worker exited with status "
                          + process.exitValue()
                          + (stderr.isEmpty() ? "" : ": " + String.join(" / ", stderr))));
            });
    try {
      ready.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return worker;
    } catch (ExecutionException e) {
      worker.close();
      throw new LaunchException(
          "the local worker did not start: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      worker.close();
      throw new LaunchException(
          "the local worker did not start listening within "
              + settings.startTimeout().toSeconds()
              + " s");
    } catch (InterruptedException e) {
      worker.close();
      throw e;
    }
  }

  /**
   * Where the socket's private directory goes: the temporary directory when its path is short, else
   * /tmp. A Unix socket path holds about 100 bytes, and the transport binds it one level deeper (a
   * staging directory next to it) before linking it into place.
   */
  private static Path socketBase() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    return tmp.toString().length() <= 40 || !Files.isDirectory(Path.of("/tmp"))
        ? tmp
        : Path.of("/tmp");
  }

  private static Thread pump(InputStream in, String name, Consumer<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.accept(line);
                }
              } catch (IOException e) {
                // The worker is gone; its exit is reported elsewhere.
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** A running local worker. */
  private static final class LocalWorker implements WorkerHandle {
    private static final long WATCH_MILLIS = 200;

    private final Process process;
    private final Path socket;
    private final Path dir;

    /**
     * Every process seen below the worker. A worker killed from outside leaves its build (in a
     * session of its own) to the operating system, no longer below any process we know; these
     * handles still find it, and they never match a reused pid (a handle carries the start time).
     */
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

    private boolean closed;
    private volatile boolean connected;

    LocalWorker(Process process, Path socket, Path dir) {
      this.process = process;
      this.socket = socket;
      this.dir = dir;
      Thread watcher = new Thread(this::watchDescendants, "teec-worker-descendants");
      watcher.setDaemon(true);
      watcher.start();
    }

    private void watchDescendants() {
      while (process.isAlive()) {
        process.descendants().forEach(seen::add);
        try {
          Thread.sleep(WATCH_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    @Override
    public Connection connect() throws IOException {
      connected = true;
      return new UnixSocketTransport(socket).connect();
    }

    @Override
    public String description() {
      return "local worker, process " + process.pid() + " (simulated NSM)";
    }

    @Override
    public boolean simulated() {
      return true;
    }

    @Override
    public boolean emulated() {
      return false;
    }

    @Override
    public boolean debug() {
      return false;
    }

    @Override
    public Map<Integer, String> expectedPcrs() {
      return Map.of();
    }

    /**
     * Gives the worker a moment to end by itself (after its one session it exits, having killed the
     * build if the client left), then kills every process still below it, deepest first, and any
     * process once seen below it that outlived it.
     */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      boolean interrupted = Thread.interrupted();
      try {
        if (!connected) {
          // No session, so no build to finish: asked to end now (SIGTERM runs its shutdown hooks),
          // it would otherwise wait for a client until the grace ran out.
          process.destroy();
        }
        if (!process.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
          killTree(process.toHandle());
        }
      } catch (InterruptedException e) {
        interrupted = true;
        killTree(process.toHandle());
      } finally {
        // Whatever the worker left behind when it died (a worker that ended normally stopped its
        // build itself, so nothing is left).
        seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        FileTrees.deleteQuietly(dir);
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static void killTree(ProcessHandle root) {
      for (int round = 0; round < 10; round++) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        Collections.reverse(all);
        all.add(root);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
          try {
            p.onExit().get(2, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } catch (ExecutionException | TimeoutException e) {
            // Checked again in the next round.
          }
        }
        if (!root.isAlive() && root.descendants().findAny().isEmpty()) {
          return;
        }
      }
    }
  }
}
