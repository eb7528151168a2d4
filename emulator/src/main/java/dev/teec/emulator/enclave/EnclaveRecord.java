package dev.teec.emulator.enclave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * An emulated enclave as its run directory's {@code enclave.json} records it: what nitro-cli
 * reports of an enclave, and the two processes that make it (each with its start time, so that a
 * reused process id is never taken for the enclave's).
 *
 * @param id the enclave id, {@code i-<17 hex>-enc<16 hex>} as nitro-cli's
 * @param name the enclave name (nitro-cli: the EIF's file name without extension)
 * @param cid the enclave's vsock context id
 * @param cpus vCPUs
 * @param memoryMib memory
 * @param debug whether it was started with {@code --debug-mode}
 * @param eif the image it runs
 * @param qemu QEMU's process, once started
 * @param backend vhost-device-vsock's process, once started
 */
public record EnclaveRecord(
    String id,
    String name,
    long cid,
    int cpus,
    long memoryMib,
    boolean debug,
    Path eif,
    Optional<ProcessRef> qemu,
    Optional<ProcessRef> backend) {
  /** The record's file name in the run directory. */
  public static final String FILE = "enclave.json";

  public EnclaveRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(qemu, "qemu");
    Objects.requireNonNull(backend, "backend");
  }

  /**
   * A process, identified by its id and its start time.
   *
   * @param pid the process id
   * @param startMillis its start time (epoch milliseconds) as the kernel reports it
   */
  public record ProcessRef(long pid, long startMillis) {
    /** The process, if it is still the one recorded and alive. */
    public Optional<ProcessHandle> handle() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              h -> h.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(false));
    }

    /** The reference of a started process. */
    public static ProcessRef of(ProcessHandle h) {
      return new ProcessRef(
          h.pid(), h.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L));
    }
  }

  /** This record with QEMU's process. */
  public EnclaveRecord withQemu(ProcessRef p) {
    return new EnclaveRecord(id, name, cid, cpus, memoryMib, debug, eif, Optional.of(p), backend);
  }

  /** This record with the backend's process. */
  public EnclaveRecord withBackend(ProcessRef p) {
    return new EnclaveRecord(id, name, cid, cpus, memoryMib, debug, eif, qemu, Optional.of(p));
  }

  /** Whether QEMU runs. */
  public boolean running() {
    return qemu.flatMap(ProcessRef::handle).isPresent();
  }

  /** Writes the record into {@code dir}, atomically. */
  void write(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.put("id", id)
        .put("name", name)
        .put("cid", cid)
        .put("cpus", cpus)
        .put("memoryMib", memoryMib)
        .put("debug", debug)
        .put("eif", eif.toString());
    qemu.ifPresent(p -> n.putObject("qemu").put("pid", p.pid()).put("start", p.startMillis()));
    backend.ifPresent(
        p -> n.putObject("backend").put("pid", p.pid()).put("start", p.startMillis()));
    Path tmp = Files.createTempFile(dir, ".enclave-", ".tmp");
    try {
      json.writeValue(tmp.toFile(), n);
      Files.move(
          tmp,
          dir.resolve(FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads the record in {@code dir}. */
  static EnclaveRecord read(Path dir) throws IOException {
    JsonNode n = new ObjectMapper().readTree(dir.resolve(FILE).toFile());
    return new EnclaveRecord(
        n.path("id").asText(),
        n.path("name").asText(),
        n.path("cid").asLong(),
        n.path("cpus").asInt(),
        n.path("memoryMib").asLong(),
        n.path("debug").asBoolean(),
        Path.of(n.path("eif").asText()),
        process(n.path("qemu")),
        process(n.path("backend")));
  }

  private static Optional<ProcessRef> process(JsonNode n) {
    return n.isObject()
        ? Optional.of(new ProcessRef(n.path("pid").asLong(), n.path("start").asLong()))
        : Optional.empty();
  }
}
