package dev.teec.emulator.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.digest.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What {@code teec emulator setup} made, as its stamp {@code setup.json} records it: the recipe
 * digest it was made from ({@code key}), the versions, and the SHA-256 of every file.
 *
 * @param dir the setup directory
 * @param key the digest of the recipe files it was made from
 * @param versions component versions (QEMU, seabios, vhost-device-vsock, ...)
 * @param files SHA-256 (hex) of every file, by path relative to {@code dir}
 */
public record Installation(
    Path dir, String key, Map<String, String> versions, Map<String, String> files) {
  /** The stamp's file name. */
  public static final String STAMP = "setup.json";

  /** The modules the init loads, in order (file names under {@link #modules()}). */
  public static final List<String> MODULES =
      List.of(
          "virtio_mmio.ko",
          "nsm.ko",
          "vsock.ko",
          "vmw_vsock_virtio_transport_common.ko",
          "vmw_vsock_virtio_transport.ko");

  public Installation {
    versions = Map.copyOf(versions);
    files = Map.copyOf(files);
  }

  /** QEMU (a wrapper that runs it with trixie's loader and libraries). */
  public Path qemu() {
    return dir.resolve("qemu/qemu-system-x86_64");
  }

  /** The firmware directories, for QEMU's {@code -L}: seabios's, then QEMU's own. */
  public List<Path> firmware() {
    return List.of(dir.resolve("qemu/share/seabios"), dir.resolve("qemu/share/qemu"));
  }

  /** The vhost-user vsock backend. */
  public Path vhostDeviceVsock() {
    return dir.resolve("vsock/vhost-device-vsock");
  }

  /** The guest kernel (bzImage). */
  public Path kernel() {
    return dir.resolve("kernel/vmlinuz");
  }

  /** The guest kernel's modules (uncompressed). */
  public Path modules() {
    return dir.resolve("kernel/modules");
  }

  /** The static busybox the init runs with. */
  public Path busybox() {
    return dir.resolve("busybox/busybox");
  }

  /** The recorded SHA-256 of a file of the installation. */
  public String digest(Path file) {
    String d = files.get(dir.relativize(file).toString());
    if (d == null) {
      throw new IllegalArgumentException(file + " is not part of the emulator setup");
    }
    return d;
  }

  /**
   * Reads the stamp in {@code dir}.
   *
   * @return empty when there is none (nothing was set up there)
   * @throws IOException when the stamp exists but cannot be read
   */
  public static Optional<Installation> read(Path dir) throws IOException {
    Path stamp = dir.resolve(STAMP);
    if (!Files.isRegularFile(stamp)) {
      return Optional.empty();
    }
    JsonNode n = new ObjectMapper().readTree(stamp.toFile());
    return Optional.of(
        new Installation(
            dir, n.path("key").asText(""), strings(n.path("versions")), strings(n.path("files"))));
  }

  /** Writes the stamp. */
  void write() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.put("format", 1);
    n.put("key", key);
    n.set("versions", json.valueToTree(new TreeMap<>(versions)));
    n.set("files", json.valueToTree(new TreeMap<>(files)));
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(STAMP).toFile(), n);
  }

  /**
   * Which recorded file is missing or changed, if any: a setup that fails this is not used.
   *
   * @return empty when every file is as recorded
   */
  public Optional<String> damage() throws IOException {
    if (files.isEmpty()) {
      return Optional.of("the stamp lists no files");
    }
    for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
      Path p = dir.resolve(f.getKey());
      if (!Files.isRegularFile(p)) {
        return Optional.of(f.getKey() + " is missing");
      }
      if (!Digests.sha256Hex(p).equals(f.getValue())) {
        return Optional.of(f.getKey() + " has changed");
      }
    }
    return Optional.empty();
  }

  /** SHA-256 of every regular file under {@code dir}, except the stamp. */
  static Map<String, String> digestTree(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p :
          walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
              .toList()) {
        String name = dir.relativize(p).toString();
        if (!name.equals(STAMP)) {
          files.put(name, Digests.sha256Hex(p));
        }
      }
    }
    return files;
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> m = new TreeMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }
}
