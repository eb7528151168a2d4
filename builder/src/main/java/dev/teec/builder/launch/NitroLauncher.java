package dev.teec.builder.launch;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Starts the build enclave with {@code nitro-cli run-enclave}, then the host egress forwarder for
 * it, and reaches the worker over vsock. The handle always terminates the enclave (and stops the
 * forwarder) when closed, including from a shutdown hook on Ctrl-C.
 *
 * <p>Before connecting, {@code describe-enclaves} must confirm that the enclave runs with exactly
 * the requested debug setting: a debug-mode enclave exposes its console and attests all-zero PCRs.
 *
 * <p>The same code starts an emulated enclave (QEMU's {@code nitro-enclave} machine behind a
 * nitro-cli stand-in, hybrid vsock through its backend's socket): only the {@link NitroCli}, the
 * {@link VsockConnector} and the {@link EgressStarter} differ, and the handle says it is emulated.
 */
public final class NitroLauncher implements EnclaveLauncher {

  /** Starts the host side of the egress channel and gives back what stops it. */
  @FunctionalInterface
  public interface EgressStarter {
    /**
     * Called once the enclave has started (an emulated host listens in the enclave's own run
     * directory) and before the client connects, so the build's first download finds it.
     *
     * @param cid the started enclave's CID
     * @param notes told of every decision of the forwarder
     * @return closes the forwarder
     */
    Closeable start(long cid, Consumer<String> notes) throws IOException;
  }

  private final NitroCli cli;
  private final NitroSettings settings;
  private final VsockConnector vsock;
  private final EgressStarter egress;
  private final boolean emulated;

  /** How often, at most, connect() asks whether the booting enclave still runs. */
  static final Duration LIVENESS_INTERVAL = Duration.ofSeconds(2);

  /**
   * A launcher for Nitro hardware.
   *
   * @param cli nitro-cli
   * @param settings the enclave to start
   * @param vsock how to connect to it
   * @param egress starts the host egress forwarder for the worker's proxy
   */
  public NitroLauncher(
      NitroCli cli, NitroSettings settings, VsockConnector vsock, EgressStarter egress) {
    this(cli, settings, vsock, egress, false);
  }

  /**
   * @param cli nitro-cli, or the emulator's stand-in
   * @param settings the enclave to start
   * @param vsock how to connect to it
   * @param egress starts the host egress forwarder for the worker's proxy
   * @param emulated whether the enclave is QEMU's emulation (its attestation is unsigned)
   */
  public NitroLauncher(
      NitroCli cli,
      NitroSettings settings,
      VsockConnector vsock,
      EgressStarter egress,
      boolean emulated) {
    this.cli = Objects.requireNonNull(cli, "cli");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.vsock = Objects.requireNonNull(vsock, "vsock");
    this.egress = Objects.requireNonNull(egress, "egress");
    this.emulated = emulated;
  }

  @Override
  public String kind() {
    return (emulated ? "EMULATED Nitro Enclave (QEMU nitro-enclave)" : "Nitro Enclave")
        + (settings.debug() ? " in DEBUG MODE" : "");
  }

  @Override
  public WorkerHandle launch(Consumer<String> notes) throws LaunchException, InterruptedException {
    if (!Files.isRegularFile(settings.eif())) {
      throw new LaunchException(settings.eif() + ": no such enclave image file");
    }
    NitroCli.Enclave started =
        cli.runEnclave(
            settings.eif(),
            settings.cpuCount(),
            settings.memoryMib(),
            settings.cid(),
            settings.debug());
    RunningEnclave handle = new RunningEnclave(started, notes);
    try {
      handle.startForwarder();
      NitroCli.Enclave described =
          cli.describeEnclaves().stream()
              .filter(e -> e.id().equals(started.id()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new LaunchException(
                          "nitro-cli describe-enclaves does not list the enclave "
                              + started.id()
                              + " it just started"));
      if (described.debugMode() != settings.debug()) {
        throw new LaunchException(
            "enclave "
                + started.id()
                + " runs with flags "
                + described.flags()
                + ", but debug mode was "
                + (settings.debug() ? "requested" : "not requested"));
      }
      return handle;
    } catch (LaunchException | InterruptedException | RuntimeException e) {
      handle.close();
      throw e;
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Stopping anyway.
    }
  }

  /** The started enclave. */
  private final class RunningEnclave implements WorkerHandle {
    private final NitroCli.Enclave enclave;
    private final Consumer<String> notes;
    private Closeable forwarder = () -> {};
    private boolean closed;
    private volatile boolean gone;

    RunningEnclave(NitroCli.Enclave enclave, Consumer<String> notes) {
      this.enclave = enclave;
      this.notes = notes;
    }

    /** Starts the egress forwarder for this enclave, unless the handle was closed meanwhile. */
    synchronized void startForwarder() throws LaunchException {
      if (closed) {
        return;
      }
      try {
        forwarder = egress.start(enclave.cid(), notes);
      } catch (IOException e) {
        throw new LaunchException("cannot start the egress forwarder: " + e.getMessage(), e);
      }
    }

    /**
     * Retries while the enclave boots: its worker listens only once its init has run. Between
     * attempts, at most every {@link #LIVENESS_INTERVAL}, asks describe-enclaves whether the
     * enclave still runs: one whose worker died has stopped (its init ends it), and waiting out the
     * boot timeout (10 minutes when emulated) would only delay the error.
     */
    @Override
    public Connection connect() throws IOException, InterruptedException {
      long deadline = System.nanoTime() + settings.bootTimeout().toNanos();
      long nextLivenessCheck = System.nanoTime();
      while (true) {
        try {
          return vsock.connect(enclave.cid(), settings.workerPort());
        } catch (IOException e) {
          if (System.nanoTime() - nextLivenessCheck >= 0) {
            nextLivenessCheck = System.nanoTime() + LIVENESS_INTERVAL.toNanos();
            if (stopped()) {
              throw new LaunchException(
                  "enclave "
                      + enclave.id()
                      + " is no longer running: it stopped before its worker accepted a"
                      + " connection on vsock:"
                      + enclave.cid()
                      + ":"
                      + settings.workerPort()
                      + " (last attempt: "
                      + e.getMessage()
                      + "); its console says why"
                      + (emulated
                          ? " (logs/enclave-"
                              + enclave.id()
                              + ".console.log in the emulator's home; QEMU's own errors, such as"
                              + " its NSM device's, in logs/enclave-"
                              + enclave.id()
                              + ".qemu.log)"
                          : ""),
                  e);
            }
          }
          if (System.nanoTime() - deadline >= 0) {
            throw new LaunchException(
                "the worker in enclave "
                    + enclave.id()
                    + " did not accept a connection on vsock:"
                    + enclave.cid()
                    + ":"
                    + settings.workerPort()
                    + " within "
                    + settings.bootTimeout().toSeconds()
                    + " s: "
                    + e.getMessage(),
                e);
          }
          Thread.sleep(settings.retryInterval().toMillis());
        }
      }
    }

    /** Whether describe-enclaves no longer lists the enclave (then there is nothing to stop). */
    private boolean stopped() throws LaunchException, InterruptedException {
      gone = cli.describeEnclaves().stream().noneMatch(e -> e.id().equals(enclave.id()));
      return gone;
    }

    @Override
    public String description() {
      return "enclave "
          + enclave.id()
          + " (CID "
          + enclave.cid()
          + ", "
          + settings.cpuCount()
          + " vCPUs, "
          + settings.memoryMib()
          + " MiB"
          + (settings.debug() ? ", DEBUG MODE" : "")
          + (emulated ? ", EMULATED under QEMU" : "")
          + ") from "
          + settings.eif();
    }

    @Override
    public boolean simulated() {
      return false;
    }

    @Override
    public boolean emulated() {
      return emulated;
    }

    @Override
    public boolean debug() {
      return settings.debug();
    }

    @Override
    public Map<Integer, String> expectedPcrs() {
      return settings.debug() ? Map.of() : settings.expectedPcrs();
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      boolean interrupted = Thread.interrupted();
      try {
        if (!gone) {
          cli.terminateEnclave(enclave.id());
        }
      } catch (LaunchException e) {
        notes.accept(
            "WARNING: could not terminate enclave "
                + enclave.id()
                + " ("
                + e.getMessage()
                + "); stop it with: "
                + cli.executable()
                + " terminate-enclave --enclave-id "
                + enclave.id());
      } catch (InterruptedException e) {
        interrupted = true;
        notes.accept(
            "WARNING: interrupted while terminating enclave "
                + enclave.id()
                + "; stop it with: "
                + cli.executable()
                + " terminate-enclave --enclave-id "
                + enclave.id());
      } finally {
        closeQuietly(forwarder);
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Whether this machine looks like a Nitro parent instance: nitro-cli on PATH and the device. */
  public static boolean available(Map<String, String> environment) {
    if (!Files.exists(Path.of("/dev/nitro_enclaves"))) {
      return false;
    }
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nitro-cli"))) {
        return true;
      }
    }
    return false;
  }
}
