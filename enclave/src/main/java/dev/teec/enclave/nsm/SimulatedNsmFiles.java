package dev.teec.enclave.nsm;

import dev.teec.generator.SimulatedChain;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * The simulated NSM's files: {@code seed} (the secret, 64 lowercase hex digits and a newline, mode
 * 0600) and {@code root.pem} (the root certificate, mode 0644) in a directory of mode 0700. Files
 * are written to a temporary file and then moved (or, for the seed, hard-linked) into place, so a
 * reader never sees a partial file and two processes starting at once agree on one seed.
 * Permissions are applied where the file system has POSIX permissions.
 */
final class SimulatedNsmFiles {
  static final String SEED = "seed";
  static final String ROOT = "root.pem";

  private static final int SEED_BYTES = 32;
  private static final Pattern SEED_FORMAT = Pattern.compile("[0-9a-f]{64}\n");
  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> SECRET_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC_MODE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final Path directory;
  private final boolean posix;

  SimulatedNsmFiles(Path directory) {
    this.directory = directory.toAbsolutePath();
    this.posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  Path directory() {
    return directory;
  }

  /** The seed's hex, after creating the directory and a new random seed if there is none yet. */
  String loadOrCreateSeed(SecureRandom random) throws NsmException {
    Path seed = directory.resolve(SEED);
    try {
      createDirectory();
      if (!Files.exists(seed, LinkOption.NOFOLLOW_LINKS)) {
        byte[] bytes = new byte[SEED_BYTES];
        random.nextBytes(bytes);
        byte[] content =
            (HexFormat.of().formatHex(bytes) + "\n").getBytes(StandardCharsets.US_ASCII);
        createOnce(seed, content, SECRET_MODE);
      }
      if (posix) {
        Set<PosixFilePermission> mode =
            Files.getPosixFilePermissions(seed, LinkOption.NOFOLLOW_LINKS);
        if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
          throw new NsmException(
              "the simulated NSM's secret "
                  + seed
                  + " is accessible to group or others ("
                  + PosixFilePermissions.toString(mode)
                  + "); run chmod 600 on it, or delete "
                  + directory
                  + " to start a new simulated root");
        }
      }
      String text = Files.readString(seed, StandardCharsets.US_ASCII);
      if (!SEED_FORMAT.matcher(text).matches()) {
        throw new NsmException(
            "malformed simulated NSM seed "
                + seed
                + ": expected 64 lowercase hex digits"
                + " and a newline; delete "
                + directory
                + " to start a new simulated root");
      }
      return text.substring(0, 64);
    } catch (IOException e) {
      throw new NsmException("cannot read or create the simulated NSM seed " + seed + ": " + e, e);
    }
  }

  /**
   * The persisted root's DER. Writes {@code derived} as {@code root.pem} when there is none; an
   * existing one is kept as it is when {@code sameIdentity} accepts it against {@code derived}.
   */
  byte[] loadOrCreateRoot(byte[] derived, BiPredicate<byte[], byte[]> sameIdentity)
      throws NsmException {
    Path root = directory.resolve(ROOT);
    try {
      if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        byte[] pem = SimulatedChain.pem(derived).getBytes(StandardCharsets.US_ASCII);
        replace(root, pem, PUBLIC_MODE);
        return derived.clone();
      }
      byte[] persisted = readSingleCertificate(root);
      if (Arrays.equals(persisted, derived) || sameIdentity.test(persisted, derived)) {
        return persisted;
      }
      throw new NsmException(
          root
              + " is not the root of the seed next to it (other subject or key);"
              + " delete "
              + directory
              + " to start a new simulated root");
    } catch (IOException e) {
      throw new NsmException("cannot read or write the simulated root " + root + ": " + e, e);
    }
  }

  private static byte[] readSingleCertificate(Path pem) throws IOException, NsmException {
    Collection<? extends Certificate> certificates;
    try {
      certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem)));
      if (certificates.size() != 1) {
        throw new NsmException(
            pem + " holds " + certificates.size() + " certificates, expected exactly one");
      }
      return certificates.iterator().next().getEncoded();
    } catch (CertificateException e) {
      throw new NsmException(pem + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private void createDirectory() throws IOException {
    Path parent = directory.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      Files.createDirectories(parent, attributes(DIRECTORY_MODE));
    }
    try {
      Files.createDirectory(directory, attributes(DIRECTORY_MODE));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(directory)) {
        throw new IOException(directory + " exists but is not a directory", e);
      }
    }
  }

  /**
   * Puts {@code content} at {@code target} unless a file is already there (then keeps that one).
   */
  private void createOnce(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Path temporary = writeTemporary(target, content, mode);
    try {
      // link(2) fails when the target exists, so of two racing processes exactly one seed wins.
      Files.createLink(target, temporary);
    } catch (FileAlreadyExistsException e) {
      // Another process created it first; its seed is the one to use.
    } catch (UnsupportedOperationException e) {
      Files.move(temporary, target);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Atomically replaces {@code target} with {@code content}. */
  private void replace(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Path temporary = writeTemporary(target, content, mode);
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private Path writeTemporary(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Path temporary =
        Files.createTempFile(
            directory, "." + target.getFileName() + "-", ".tmp", attributes(SECRET_MODE));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      if (posix) {
        Files.setPosixFilePermissions(temporary, mode);
      }
      return temporary;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private FileAttribute<?>[] attributes(Set<PosixFilePermission> mode) {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
        : new FileAttribute<?>[0];
  }
}
