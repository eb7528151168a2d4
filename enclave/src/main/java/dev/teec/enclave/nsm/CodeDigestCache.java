package dev.teec.enclave.nsm;

import dev.teec.digest.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-384 of each classpath jar a local worker measures ({@link WorkerIdentity}), remembered
 * across worker starts in {@code <teec home>/simulated-nsm/code-digests}: hashing the CLI's jar
 * (about 19 MB) in a JVM that has just started took about 40 % of a trivial local build's worker
 * CPU (issue 13). An entry is used only while the file has the same real path, size, modification
 * time, change time, inode and device as when it was hashed; a write changes the change time, which
 * no program can set, and a replacement changes the inode, so the remembered digest is that of the
 * content. Without those attributes (a file system without them, a non-POSIX platform) every jar is
 * hashed. Nothing is remembered before the simulated NSM's directory exists (its first use creates
 * it, with its permissions), nor when the file changed while it was hashed; a failure to remember
 * is not an error.
 */
public final class CodeDigestCache implements WorkerIdentity.FileDigests {
  /** The subdirectory of the simulated NSM's directory holding the entries. */
  public static final String DIRECTORY = "code-digests";

  private static final String VERSION = "teec-code-digest/v1";
  private static final HexFormat HEX = HexFormat.of();

  private final Path directory;

  /**
   * @param directory where the entries are; created (if its parent exists) on the first entry
   */
  public CodeDigestCache(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** The cache of the simulated NSM in {@code teecHome}. */
  public static CodeDigestCache of(Path teecHome) {
    return new CodeDigestCache(teecHome.resolve(SimulatedNsm.DIRECTORY).resolve(DIRECTORY));
  }

  @Override
  public byte[] sha384(Path file) throws IOException {
    Optional<String> key = key(file);
    if (key.isEmpty()) {
      return WorkerIdentity.HASHED.sha384(file);
    }
    Path entry =
        directory.resolve(
            Digests.sha256Hex(
                key.get().lines().findFirst().orElseThrow().getBytes(StandardCharsets.UTF_8)));
    Optional<byte[]> remembered = read(entry, key.get());
    if (remembered.isPresent()) {
      return remembered.get();
    }
    byte[] digest = WorkerIdentity.HASHED.sha384(file);
    if (key.equals(key(file))) {
      remember(entry, key.get() + HEX.formatHex(digest) + "\n");
    }
    return digest;
  }

  /**
   * The file's identity: its real path on the first line (which names its entry), then its size,
   * times, inode and device; empty when the platform does not give them.
   */
  private static Optional<String> key(Path file) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
    StringBuilder key = new StringBuilder(VERSION).append(' ').append(file.toRealPath());
    if (key.indexOf("\n") >= 0) {
      return Optional.empty();
    }
    key.append('\n');
    for (String name : List.of("size", "lastModifiedTime", "ctime", "ino", "dev")) {
      Object value = a.get(name);
      if (value == null) {
        return Optional.empty();
      }
      String text =
          value instanceof FileTime t
              ? Long.toString(t.to(TimeUnit.NANOSECONDS))
              : value.toString();
      key.append(name).append(' ').append(text).append('\n');
    }
    return Optional.of(key.toString());
  }

  /** The digest the entry holds for exactly this key, if it holds one. */
  private static Optional<byte[]> read(Path entry, String key) {
    String text;
    try {
      text = Files.readString(entry, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // unreadable or not UTF-8: hashed again, and overwritten
    }
    if (!text.startsWith(key) || !text.endsWith("\n")) {
      return Optional.empty();
    }
    String hex = text.substring(key.length(), text.length() - 1);
    if (hex.length() != 2 * WorkerIdentity.DIGEST_BYTES || !hex.matches("[0-9a-f]+")) {
      return Optional.empty();
    }
    return Optional.of(HEX.parseHex(hex));
  }

  /** Writes the entry under a private name, then renames it: readers never see half of one. */
  private void remember(Path entry, String text) {
    Path parent = directory.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    Path tmp = null;
    try {
      Files.createDirectories(directory);
      tmp = Files.createTempFile(directory, ".entry-", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException | RuntimeException e) {
      // Not remembered: the next start hashes the file again.
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // A stray temporary file is never read as an entry.
        }
      }
    }
  }
}
