package dev.teec.emulator.image;

import dev.teec.emulator.image.Initramfs.Entry;
import dev.teec.emulator.image.Initramfs.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A root file system tar (as mmdebstrap writes it) read into an {@link Initramfs}: every entry with
 * its owner, permissions and time; hard links as hard-link groups. What an initramfs cannot hold is
 * dropped: the root directory's own entry and extended attributes.
 */
final class RootfsTar implements Closeable {
  private final TarFile tar;

  RootfsTar(Path file) throws IOException {
    this.tar = new TarFile(file);
  }

  /** Adds every entry to {@code initramfs}. */
  void addTo(Initramfs initramfs) throws IOException {
    Map<String, TarArchiveEntry> byName = new HashMap<>();
    Set<String> linked = new HashSet<>();
    for (TarArchiveEntry e : tar.getEntries()) {
      byName.put(name(e.getName()), e);
      if (e.isLink()) {
        linked.add(name(e.getLinkName()));
      }
    }
    for (TarArchiveEntry e : tar.getEntries()) {
      String name = name(e.getName());
      if (name.isEmpty()) {
        continue;
      }
      long mtime = e.getLastModifiedTime().toInstant().getEpochSecond();
      int permissions = e.getMode() & 07777;
      Entry entry;
      if (e.isLink()) {
        String group = name(e.getLinkName());
        TarArchiveEntry target = byName.get(group);
        if (target == null || !target.isFile() || target.isLink()) {
          throw new IOException(
              "tar entry "
                  + e.getName()
                  + " is a hard link to "
                  + e.getLinkName()
                  + ", which is not a regular file of the archive");
        }
        entry =
            new Entry(
                name,
                Kind.FILE,
                permissions,
                e.getLongUserId(),
                e.getLongGroupId(),
                mtime,
                target.getSize(),
                () -> tar.getInputStream(target),
                null,
                group,
                0,
                0);
      } else if (e.isDirectory()) {
        entry =
            new Entry(
                name,
                Kind.DIRECTORY,
                permissions,
                e.getLongUserId(),
                e.getLongGroupId(),
                mtime,
                0,
                null,
                null,
                null,
                0,
                0);
      } else if (e.isSymbolicLink()) {
        entry =
            new Entry(
                name,
                Kind.SYMLINK,
                permissions,
                e.getLongUserId(),
                e.getLongGroupId(),
                mtime,
                0,
                null,
                e.getLinkName(),
                null,
                0,
                0);
      } else if (e.isCharacterDevice() || e.isBlockDevice()) {
        entry =
            new Entry(
                name,
                e.isCharacterDevice() ? Kind.CHARACTER_DEVICE : Kind.BLOCK_DEVICE,
                permissions,
                e.getLongUserId(),
                e.getLongGroupId(),
                mtime,
                0,
                null,
                null,
                null,
                e.getDevMajor(),
                e.getDevMinor());
      } else if (e.isFIFO()) {
        entry =
            new Entry(
                name,
                Kind.FIFO,
                permissions,
                e.getLongUserId(),
                e.getLongGroupId(),
                mtime,
                0,
                null,
                null,
                null,
                0,
                0);
      } else if (e.isFile()) { // after the devices: commons-compress calls those files too
        entry =
            new Entry(
                name,
                Kind.FILE,
                permissions,
                e.getLongUserId(),
                e.getLongGroupId(),
                mtime,
                e.getSize(),
                () -> tar.getInputStream(e),
                null,
                linked.contains(name) ? name : null,
                0,
                0);
      } else {
        throw new IOException(
            "tar entry " + e.getName() + " is of a kind an initramfs cannot hold");
      }
      initramfs.add(entry);
    }
  }

  /** "./usr/bin/" to "usr/bin"; "./" to "". */
  static String name(String tarName) {
    String n = tarName;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.equals(".") ? "" : n;
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
