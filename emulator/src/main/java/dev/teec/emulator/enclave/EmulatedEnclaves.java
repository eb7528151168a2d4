package dev.teec.emulator.enclave;

import dev.teec.digest.Digests;
import dev.teec.emulator.Directories;
import dev.teec.emulator.EmulatorHome;
import dev.teec.emulator.HostTools;
import dev.teec.emulator.enclave.EnclaveRecord.ProcessRef;
import dev.teec.emulator.setup.Installation;
import dev.teec.enclave.protocol.transport.HybridVsockTransport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Emulated Nitro Enclaves: each is a QEMU {@code nitro-enclave} machine booting an EIF, with a
 * vhost-device-vsock backend in its "hybrid vsock" mode, in its own session (so that, as with
 * nitro-cli, the enclave outlives the command that started it), recorded in {@code run/<CID>/}.
 * {@link #terminate} stops both processes and removes the directory with every socket in it; an
 * enclave whose QEMU has died is cleaned up the same way when the enclaves are next listed.
 */
public final class EmulatedEnclaves {
  /** The lowest CID given when none is asked for: nitro-cli's default first enclave CID. */
  public static final long FIRST_CID = 16;

  /** The backend's socket for host connections (its {@code --uds-path}), in the run directory. */
  public static final String HOST_SOCKET = "vm.vsock";

  /** The worker's console (the guest's serial port). */
  public static final String CONSOLE = "console.log";

  /** QEMU's own output (its devices' errors, such as the NSM device's). */
  public static final String QEMU_LOG = "qemu.log";

  private static final String VHOST_SOCKET = "vhost.sock";
  private static final int MAX_SOCKET_PATH = 100;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final EmulatorHome home;
  private final Installation installation;
  private final Map<String, String> environment;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param home where enclaves are recorded
   * @param installation QEMU, the backend, the firmware
   * @param environment added to the environment of QEMU and the backend; its PATH finds {@code
   *     setsid}
   */
  public EmulatedEnclaves(
      EmulatorHome home, Installation installation, Map<String, String> environment) {
    this.home = home;
    this.installation = installation;
    this.environment = Map.copyOf(environment);
  }

  /** The host's socket for connections to an enclave's vsock ports (hybrid vsock). */
  public Path hostSocket(long cid) {
    return home.run().resolve(Long.toString(cid)).resolve(HOST_SOCKET);
  }

  /** The host side of the enclave's vsock {@code port}. */
  public HybridVsockTransport vsock(long cid, long port) {
    return new HybridVsockTransport(hostSocket(cid), port);
  }

  /**
   * Starts an enclave (nitro-cli {@code run-enclave}). Returns once QEMU runs and the guest has
   * written to its console; on any failure, nothing is left running.
   *
   * @throws IOException with the reason (and the end of QEMU's or the backend's log)
   */
  public EnclaveRecord run(Path eif, int cpus, long memoryMib, OptionalLong cid, boolean debug)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(eif)) {
      throw new IOException(eif + ": no such enclave image file");
    }
    if (cpus < 1 || memoryMib < 64) {
      throw new IOException("an enclave needs at least 1 vCPU and 64 MiB");
    }
    Files.createDirectories(home.run());
    EnclaveRecord record;
    Path dir;
    try (FileChannel lockFile =
            FileChannel.open(
                home.run().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      List<EnclaveRecord> running = list();
      long chosen = cid.isPresent() ? cid.getAsLong() : freeCid(running);
      if (chosen < 3 || chosen > 0xFFFF_FFFEL) {
        throw new IOException("enclave CID " + chosen + " is out of range (3..4294967294)");
      }
      if (running.stream().anyMatch(e -> e.cid() == chosen)) {
        throw new IOException("an enclave with CID " + chosen + " is already running");
      }
      dir = home.run().resolve(Long.toString(chosen));
      Directories.deleteTree(dir);
      Files.createDirectories(dir);
      if (hostSocket(chosen).toString().length() + 12 > MAX_SOCKET_PATH) {
        throw new IOException(
            "the socket paths under "
                + dir
                + " are too long for Unix sockets; use a shorter"
                + " TEEC_HOME");
      }
      String name = eif.getFileName().toString().replaceFirst("\\.eif$", "");
      record =
          new EnclaveRecord(
              instanceId() + "-enc" + hex(8),
              name,
              chosen,
              cpus,
              memoryMib,
              debug,
              eif.toAbsolutePath(),
              Optional.empty(),
              Optional.empty());
      record.write(dir);
      try {
        record = startBackend(record, dir);
        record = startQemu(record, dir);
      } catch (IOException | InterruptedException | RuntimeException e) {
        stop(record, dir);
        throw e;
      }
    }
    return record;
  }

  /** The running enclaves (nitro-cli {@code describe-enclaves}); cleans up those that have died. */
  public List<EnclaveRecord> list() throws IOException, InterruptedException {
    List<EnclaveRecord> running = new ArrayList<>();
    if (!Files.isDirectory(home.run())) {
      return running;
    }
    List<Path> dirs;
    try (Stream<Path> s = Files.list(home.run())) {
      dirs = s.filter(p -> p.getFileName().toString().matches("[0-9]+")).sorted().toList();
    }
    for (Path dir : dirs) {
      if (!Files.isRegularFile(dir.resolve(EnclaveRecord.FILE))) {
        continue;
      }
      EnclaveRecord r = EnclaveRecord.read(dir);
      if (r.running()) {
        running.add(r);
      } else {
        stop(r, dir);
      }
    }
    return running;
  }

  /**
   * Terminates an enclave (nitro-cli {@code terminate-enclave}): QEMU, then the backend, then the
   * run directory with its sockets. Its console and QEMU's log are kept in the logs.
   *
   * @return the enclave terminated, or empty when no running enclave has that id
   */
  public Optional<EnclaveRecord> terminate(String id) throws IOException, InterruptedException {
    for (EnclaveRecord r : list()) {
      if (r.id().equals(id)) {
        stop(r, home.run().resolve(Long.toString(r.cid())));
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The console of a running enclave. */
  public Optional<Path> console(String id) throws IOException, InterruptedException {
    return list().stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .map(r -> home.run().resolve(Long.toString(r.cid())).resolve(CONSOLE));
  }

  private EnclaveRecord startBackend(EnclaveRecord record, Path dir)
      throws IOException, InterruptedException {
    Process p =
        start(
            List.of(
                installation.vhostDeviceVsock().toString(),
                "--guest-cid",
                Long.toString(record.cid()),
                "--socket",
                dir.resolve(VHOST_SOCKET).toString(),
                "--uds-path",
                dir.resolve(HOST_SOCKET).toString()),
            dir.resolve("backend.log"),
            dir.resolve("backend.log"));
    record = record.withBackend(ProcessRef.of(p.toHandle()));
    record.write(dir);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.exists(dir.resolve(VHOST_SOCKET))) {
      if (!p.isAlive()) {
        throw new IOException(
            "vhost-device-vsock exited ("
                + p.exitValue()
                + "): "
                + tail(dir.resolve("backend.log")));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "vhost-device-vsock did not create its socket within "
                + START_TIMEOUT.toSeconds()
                + " s");
      }
      Thread.sleep(20);
    }
    return record;
  }

  private EnclaveRecord startQemu(EnclaveRecord record, Path dir)
      throws IOException, InterruptedException {
    String instance = record.id().substring(0, record.id().indexOf("-enc"));
    List<String> command =
        new ArrayList<>(
            List.of(
                installation.qemu().toString(),
                "-M",
                "nitro-enclave,vsock=vsock0,id="
                    + record.id()
                    + ",parent-id="
                    + instance
                    + ",acpi=on",
                // Round-robin TCG: the vCPUs take turns on one host thread (the guest still has
                // -smp CPUs). Under multi-threaded TCG a vCPU can run a stale or torn translation
                // of code that another vCPU has just rewritten (QEMU issue 4669), and the guest's
                // JVM rewrites code that other threads run: making a compiled method not entrant
                // patches a jump over its verified entry point. The worker died of SIGSEGV at
                // exactly such an entry point (seen in 1 of 3 builds, and in 1 of 30 runs of an
                // ECDSA program under the same kernel and JDK; 0 of 30 with this option).
                "-accel",
                "tcg,thread=single",
                // Queue notifications handled at once by the vCPU that kicks, not later by QEMU's
                // main loop. With ioeventfd on, QEMU kicks every queue itself when the driver sets
                // DRIVER_OK; the NSM driver queues its first request (for the kernel's hwrng) a
                // few milliseconds later, as a request buffer then a response buffer. A main loop
                // that runs that kick between the two finds a request without a response, marks
                // the NSM device broken ("Expected response buffer after request buffer"), and
                // every later NSM request times out. vhost-user-vsock keeps its own notifiers.
                "-global",
                "virtio-mmio.ioeventfd=off",
                "-kernel",
                record.eif().toString(),
                "-m",
                record.memoryMib() + "M",
                "-smp",
                Integer.toString(record.cpus()),
                "-nodefaults",
                "-display",
                "none",
                "-no-reboot",
                "-serial",
                "file:" + dir.resolve(CONSOLE),
                "-chardev",
                "socket,id=vsock0,path=" + dir.resolve(VHOST_SOCKET)));
    for (Path firmware : installation.firmware()) {
      command.addAll(List.of("-L", firmware.toString()));
    }
    // Appended to the EIF's command line, not measured (QEMU measures the EIF's sections). Under
    // TCG
    // the microvm machine's ACPI is hardware-reduced (no legacy PIT interrupt), and the kernel's
    // PIT
    // calibration of the TSC fails on a busy host; without a TSC frequency it then waits forever
    // for a timer tick. The guest's TSC runs at the host's rate.
    hostTscKhz().ifPresent(khz -> command.addAll(List.of("-append", "tsc_early_khz=" + khz)));
    Path log = dir.resolve(QEMU_LOG);
    Process p = start(command, log, log);
    record = record.withQemu(ProcessRef.of(p.toHandle()));
    record.write(dir);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Path console = dir.resolve(CONSOLE);
    while (!Files.exists(console) || Files.size(console) == 0) {
      if (!p.isAlive()) {
        throw new IOException("QEMU exited (" + p.exitValue() + "): " + tail(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the enclave wrote nothing to its console within " + START_TIMEOUT.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
    return record;
  }

  /** Starts a process in a session of its own (setsid execs in place: the id is the program's). */
  private Process start(List<String> command, Path stdout, Path stderr) throws IOException {
    List<String> full = new ArrayList<>();
    Path setsid = HostTools.find(environment, "setsid");
    if (setsid != null) {
      full.add(setsid.toString());
    }
    full.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(full)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    pb.environment().putAll(environment);
    pb.environment().put("TMPDIR", stdout.getParent().toString());
    return pb.start();
  }

  /**
   * Stops both processes and removes the run directory, keeping the console and QEMU's log in the
   * logs: a device's failure (the NSM's) is seen only in QEMU's log.
   */
  private void stop(EnclaveRecord r, Path dir) throws IOException, InterruptedException {
    kill(r.qemu());
    kill(r.backend());
    keep(dir.resolve(CONSOLE), consoleLog(r.id()));
    keep(dir.resolve(QEMU_LOG), qemuLog(r.id()));
    Directories.deleteTree(dir);
  }

  private void keep(Path file, Path kept) throws IOException {
    if (Files.exists(file)) {
      Files.createDirectories(kept.getParent());
      Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Where the console of enclave {@code id} is kept once it stopped. */
  public Path consoleLog(String id) {
    return home.logs().resolve("enclave-" + id + ".console.log");
  }

  /** Where QEMU's log of enclave {@code id} is kept once it stopped. */
  public Path qemuLog(String id) {
    return home.logs().resolve("enclave-" + id + ".qemu.log");
  }

  private static void kill(Optional<ProcessRef> ref) throws InterruptedException {
    Optional<ProcessHandle> h = ref.flatMap(ProcessRef::handle);
    if (h.isEmpty()) {
      return;
    }
    h.get().destroy();
    try {
      h.get().onExit().get(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      h.get().destroyForcibly();
      try {
        h.get().onExit().get(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException again) {
        // SIGKILL cannot be refused; a process in uninterruptible sleep ends when it wakes.
      }
    }
  }

  /** The host's TSC frequency in kHz, as /proc/cpuinfo gives the CPU's ("cpu MHz"). */
  static OptionalLong hostTscKhz() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("cpu MHz")) {
          double mhz = Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
          return mhz > 0 ? OptionalLong.of(Math.round(mhz * 1000)) : OptionalLong.empty();
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Without it the guest calibrates the TSC itself, which works on an idle host.
    }
    return OptionalLong.empty();
  }

  private static long freeCid(List<EnclaveRecord> running) {
    long cid = FIRST_CID;
    while (true) {
      long c = cid;
      if (running.stream().noneMatch(e -> e.cid() == c)) {
        return c;
      }
      cid++;
    }
  }

  /** A stand-in for the parent's EC2 instance id: "i-" and 17 hex digits, fixed per host name. */
  private static String instanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    byte[] d = Digests.sha256(host.getBytes(StandardCharsets.UTF_8));
    return "i-" + HexFormat.of().formatHex(d).substring(0, 17);
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n  ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
