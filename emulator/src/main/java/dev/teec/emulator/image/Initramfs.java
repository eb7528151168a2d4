package dev.teec.emulator.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * An initramfs: a cpio archive in the "newc" format that Linux unpacks into its root file system,
 * written reproducibly. Entries are written sorted by name (so every directory comes before what it
 * holds, as the kernel's unpacker needs), with inode numbers counted from 1 in that order, and
 * exactly the owners, modes and times given. A hard-link group shares one inode with a link count
 * of 2 or more: the kernel creates the first member it meets, with the data, and links the later
 * ones to it, so the data goes with the first member in name order and the others are empty.
 */
public final class Initramfs {
  /** Where a regular file's bytes come from. */
  @FunctionalInterface
  public interface Content {
    InputStream open() throws IOException;
  }

  /** The kind of an entry; {@code bits} are the file-type bits of its mode. */
  public enum Kind {
    DIRECTORY(CpioConstants.C_ISDIR),
    FILE(CpioConstants.C_ISREG),
    SYMLINK(CpioConstants.C_ISLNK),
    CHARACTER_DEVICE(CpioConstants.C_ISCHR),
    BLOCK_DEVICE(CpioConstants.C_ISBLK),
    FIFO(CpioConstants.C_ISFIFO);

    final int bits;

    Kind(int bits) {
      this.bits = bits;
    }
  }

  /**
   * One entry.
   *
   * @param name the path, relative, without a leading "./" or trailing "/"
   * @param kind what it is
   * @param permissions the permission bits (07777)
   * @param uid owner
   * @param gid group
   * @param mtime modification time, seconds since the epoch
   * @param size a regular file's size (0 otherwise)
   * @param content a regular file's bytes (null otherwise)
   * @param target a symbolic link's target (null otherwise)
   * @param hardLinkGroup the name of the file this one is a hard link of (or is linked by), or null
   * @param deviceMajor a device's major number
   * @param deviceMinor a device's minor number
   */
  public record Entry(
      String name,
      Kind kind,
      int permissions,
      long uid,
      long gid,
      long mtime,
      long size,
      Content content,
      String target,
      String hardLinkGroup,
      long deviceMajor,
      long deviceMinor) {
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      if (name.isEmpty()
          || name.startsWith("/")
          || name.startsWith("./")
          || name.endsWith("/")
          || name.contains("//")
          || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("not a relative path in normal form: \"" + name + "\"");
      }
      for (String part : name.split("/")) {
        if (part.equals(".") || part.equals("..")) {
          throw new IllegalArgumentException("\"" + name + "\" has a . or .. component");
        }
      }
      if ((permissions & ~07777) != 0) {
        throw new IllegalArgumentException(
            name + ": permissions " + Integer.toOctalString(permissions));
      }
      if ((kind == Kind.FILE) != (content != null) || (kind == Kind.SYMLINK) != (target != null)) {
        throw new IllegalArgumentException(
            name + ": content goes with files, a target with symbolic links");
      }
    }

    /** A directory. */
    public static Entry directory(String name, int permissions, long mtime) {
      return new Entry(name, Kind.DIRECTORY, permissions, 0, 0, mtime, 0, null, null, null, 0, 0);
    }

    /** A regular file owned by root. */
    public static Entry file(String name, int permissions, long mtime, long size, Content content) {
      return new Entry(name, Kind.FILE, permissions, 0, 0, mtime, size, content, null, null, 0, 0);
    }
  }

  private final TreeMap<String, Entry> entries = new TreeMap<>(Initramfs::compareNames);

  /**
   * Adds an entry. A directory that is already there is kept as it is; any other repeated name is
   * an error.
   */
  public Initramfs add(Entry entry) {
    Entry existing = entries.get(entry.name());
    if (existing != null) {
      if (existing.kind() == Kind.DIRECTORY && entry.kind() == Kind.DIRECTORY) {
        return this;
      }
      throw new IllegalArgumentException("\"" + entry.name() + "\" is in the initramfs twice");
    }
    entries.put(entry.name(), entry);
    return this;
  }

  /** The entry of that name, if there is one. */
  public java.util.Optional<Entry> entry(String name) {
    return java.util.Optional.ofNullable(entries.get(name));
  }

  /**
   * Puts {@code entry} in place of the entry of the same name, which must be there and of the same
   * kind.
   */
  public Initramfs replace(Entry entry) {
    Entry existing = entries.get(entry.name());
    if (existing == null || existing.kind() != entry.kind()) {
      throw new IllegalArgumentException(
          "\"" + entry.name() + "\" is not in the initramfs as a " + entry.kind());
    }
    entries.put(entry.name(), entry);
    return this;
  }

  /** Whether an entry of that name is there. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  /**
   * Writes the archive (and its trailer) to {@code out}, which stays open.
   *
   * @throws IllegalStateException if an entry's parent directory is missing or a hard link's group
   *     has no regular file
   */
  public void write(OutputStream out) throws IOException {
    Map<String, List<Entry>> groups = new HashMap<>();
    for (Entry e : entries.values()) {
      String parent =
          e.name().contains("/") ? e.name().substring(0, e.name().lastIndexOf('/')) : null;
      if (parent != null
          && (!entries.containsKey(parent) || entries.get(parent).kind() != Kind.DIRECTORY)) {
        throw new IllegalStateException(
            "\"" + e.name() + "\" has no parent directory in the initramfs");
      }
      if (e.hardLinkGroup() != null) {
        groups.computeIfAbsent(e.hardLinkGroup(), k -> new ArrayList<>()).add(e);
      }
    }
    Map<String, Long> groupInodes = new HashMap<>();
    CpioArchiveOutputStream cpio =
        new CpioArchiveOutputStream(
            new NonClosing(out),
            CpioConstants.FORMAT_NEW,
            CpioConstants.BLOCK_SIZE,
            StandardCharsets.UTF_8.name());
    long inode = 1;
    for (Entry e : entries.values()) {
      long links = e.kind() == Kind.DIRECTORY ? 2 : 1;
      long ino = inode++;
      boolean withData = e.kind() == Kind.FILE;
      if (e.hardLinkGroup() != null) {
        List<Entry> group = groups.get(e.hardLinkGroup());
        links = Math.max(2, group.size());
        Long first = groupInodes.putIfAbsent(e.hardLinkGroup(), ino);
        if (first != null) {
          ino = first;
          inode--;
          withData = false;
        }
      }
      CpioArchiveEntry c = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, e.name());
      c.setMode(e.kind().bits | e.permissions());
      c.setUID(e.uid());
      c.setGID(e.gid());
      c.setTime(e.mtime());
      c.setInode(ino);
      c.setNumberOfLinks(links);
      c.setDeviceMaj(0);
      c.setDeviceMin(0);
      c.setRemoteDeviceMaj(e.deviceMajor());
      c.setRemoteDeviceMin(e.deviceMinor());
      byte[] link = e.kind() == Kind.SYMLINK ? e.target().getBytes(StandardCharsets.UTF_8) : null;
      c.setSize(link != null ? link.length : withData ? e.size() : 0);
      cpio.putArchiveEntry(c);
      if (link != null) {
        cpio.write(link);
      } else if (withData) {
        try (InputStream in = e.content().open()) {
          long copied = in.transferTo(cpio);
          if (copied != e.size()) {
            throw new IOException(e.name() + ": expected " + e.size() + " bytes, read " + copied);
          }
        }
      }
      cpio.closeArchiveEntry();
    }
    cpio.finish();
    cpio.flush();
  }

  /** Byte order of the UTF-8 names: the order {@code sort} gives with LC_ALL=C. */
  private static int compareNames(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** Lets the archive finish without closing the caller's stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
