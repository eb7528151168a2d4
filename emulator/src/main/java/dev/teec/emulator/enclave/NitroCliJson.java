package dev.teec.emulator.enclave;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.truststore.eif.EifMeasurement;
import java.nio.file.Path;
import java.util.List;

/**
 * What AWS nitro-cli prints, for the emulated enclaves: the field names and shapes of its {@code
 * run-enclave}, {@code describe-enclaves}, {@code terminate-enclave} and {@code describe-eif}
 * output. {@code ProcessID} is QEMU's; {@code CPUIDs} is empty (no host CPU is reserved).
 */
public final class NitroCliJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NitroCliJson() {}

  /** {@code run-enclave}'s object. */
  public static ObjectNode started(EnclaveRecord e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("EnclaveName", e.name());
    n.put("EnclaveID", e.id());
    n.put("ProcessID", e.qemu().map(EnclaveRecord.ProcessRef::pid).orElse(0L));
    n.put("EnclaveCID", e.cid());
    n.put("NumberOfCPUs", e.cpus());
    n.putArray("CPUIDs");
    n.put("MemoryMiB", e.memoryMib());
    return n;
  }

  /** {@code describe-enclaves}'s array. */
  public static ArrayNode described(List<EnclaveRecord> enclaves) {
    ArrayNode a = JSON.createArrayNode();
    for (EnclaveRecord e : enclaves) {
      ObjectNode n = started(e);
      n.put("State", "RUNNING");
      n.put("Flags", e.debug() ? "DEBUG_MODE" : "NONE");
      a.add(n);
    }
    return a;
  }

  /** {@code terminate-enclave}'s object. */
  public static ObjectNode terminated(EnclaveRecord e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("EnclaveName", e.name());
    n.put("EnclaveID", e.id());
    n.put("Terminated", true);
    return n;
  }

  /** {@code describe-eif}'s object. */
  public static ObjectNode eif(Path file, EifMeasurement m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("EifVersion", m.version());
    ObjectNode measurements = n.putObject("Measurements");
    measurements.put("HashAlgorithm", "Sha384 { ... }");
    m.pcrs().forEach((i, v) -> measurements.put("PCR" + i, v.hex()));
    n.put("IsSigned", m.signature().isPresent());
    n.put("CheckCRC", true);
    m.signature().ifPresent(s -> n.put("SignatureCheck", s.valid()));
    n.put("ImageName", file.getFileName().toString().replaceFirst("\\.eif$", ""));
    n.put("Arch", m.arm64() ? "aarch64" : "x86_64");
    return n;
  }
}
