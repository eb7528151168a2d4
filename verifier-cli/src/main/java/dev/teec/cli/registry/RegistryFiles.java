package dev.teec.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.util.Base64URL;
import dev.teec.cli.CliSupport;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistryFormatException;
import dev.teec.truststore.registry.RegistryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Reading registries and key files, and writing files atomically, for the registry commands. */
final class RegistryFiles {
  /** Registries, envelopes and key sets are small; anything larger is not one of them. */
  static final int MAX_FILE = 16 << 20;

  private RegistryFiles() {}

  /** The bytes of {@code file}, or a usage error naming the option and the reason. */
  static byte[] read(CommandLine cmd, String option, Path file) {
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new ParameterException(cmd, option + file + ": larger than " + MAX_FILE + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ParameterException(cmd, option + file + ": " + CliSupport.describe(e));
    }
  }

  /** True when {@code bytes} is a JWS JSON envelope rather than a bare registry document. */
  static boolean isEnvelope(byte[] bytes) {
    try {
      JsonNode node = new ObjectMapper().readTree(bytes);
      return node != null && node.isObject() && node.has("payload") && node.has("signatures");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The registry in a bare document or an envelope, unverified: for editing and display only.
   *
   * @throws RegistryFormatException if neither form parses
   */
  static Registry payload(byte[] bytes) throws RegistryFormatException {
    if (isEnvelope(bytes)) {
      try {
        JsonNode node = new ObjectMapper().readTree(bytes);
        return RegistryJson.parse(new Base64URL(node.get("payload").asText()).decode());
      } catch (IOException e) {
        throw new RegistryFormatException("$", "not JSON: " + e.getMessage());
      }
    }
    return RegistryJson.parse(bytes);
  }

  /**
   * Writes {@code data} to {@code target} through a temporary sibling and an atomic rename, so
   * readers never see a half-written file; with {@code ownerOnly} the file is created mode 0600
   * before any byte is written.
   */
  static void writeAtomically(Path target, byte[] data, boolean ownerOnly) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp =
        ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? Files.createTempFile(
                dir,
                "." + target.getFileName(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.write(tmp, data);
      if (!ownerOnly && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
