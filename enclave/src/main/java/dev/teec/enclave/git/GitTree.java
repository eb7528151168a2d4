package dev.teec.enclave.git;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A git tree object: its entries in git's order. {@link #parse} accepts exactly the canonical
 * encoding git writes, so that a parsed tree re-encodes to the same bytes and hence the same id.
 *
 * @param entries the entries, in {@link #ORDER}, names unique
 */
public record GitTree(List<TreeEntry> entries) {
  /**
   * Git's order of tree entries: by the bytes of the UTF-8 names, where a directory's name counts
   * as if it ended with {@code /}.
   */
  public static final Comparator<TreeEntry> ORDER = GitTree::compare;

  private static final int MAX_MODE_DIGITS = 6;

  /** Checks the order and that no name appears twice. */
  public GitTree {
    entries = List.copyOf(entries);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      TreeEntry e = entries.get(i);
      if (!names.add(e.name())) {
        throw new IllegalArgumentException("tree has two entries named \"" + e.name() + "\"");
      }
      if (i > 0 && compare(entries.get(i - 1), e) >= 0) {
        throw new IllegalArgumentException(
            "tree entries out of git's order at \"" + e.name() + "\"");
      }
    }
  }

  /** The tree holding {@code entries}, sorted into git's order. */
  public static GitTree of(Collection<TreeEntry> entries) {
    List<TreeEntry> sorted = new ArrayList<>(entries);
    sorted.sort(ORDER);
    return new GitTree(sorted);
  }

  /**
   * Parses a tree object's content (without the {@code "tree <size>\0"} header).
   *
   * @throws GitFormatException for anything git would not write: an unknown or non-canonical mode,
   *     an empty name or one with {@code /}, {@code .} or {@code ..}, a name that is not UTF-8, a
   *     truncated entry, entries out of order or duplicated
   */
  public static GitTree parse(byte[] content) throws GitFormatException {
    List<TreeEntry> entries = new ArrayList<>();
    int i = 0;
    while (i < content.length) {
      int space =
          indexOf(content, (byte) ' ', i, Math.min(content.length, i + MAX_MODE_DIGITS + 1));
      if (space < 0) {
        throw new GitFormatException("tree entry " + entries.size() + ": no mode");
      }
      String octal = new String(content, i, space - i, StandardCharsets.US_ASCII);
      EntryMode mode =
          EntryMode.fromOctal(octal)
              .orElseThrow(
                  () ->
                      new GitFormatException(
                          "tree entry "
                              + entries.size()
                              + ": mode \""
                              + octal
                              + "\" is not one of git's canonical modes"));
      int nul = indexOf(content, (byte) 0, space + 1, content.length);
      if (nul < 0 || nul + 1 + GitObjects.ID_BYTES > content.length) {
        throw new GitFormatException("tree entry " + entries.size() + ": truncated");
      }
      String name = utf8(content, space + 1, nul, entries.size());
      String id = GitObjects.hex(slice(content, nul + 1, GitObjects.ID_BYTES));
      String problem = nameProblem(name);
      if (problem != null) {
        throw new GitFormatException("tree entry \"" + escape(name) + "\": " + problem);
      }
      entries.add(new TreeEntry(mode, name, id));
      i = nul + 1 + GitObjects.ID_BYTES;
    }
    try {
      return new GitTree(entries);
    } catch (IllegalArgumentException e) {
      throw new GitFormatException(e.getMessage());
    }
  }

  /** The object's content, as git writes it. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (TreeEntry e : entries) {
      out.writeBytes(e.mode().bytes());
      out.write(' ');
      out.writeBytes(e.name().getBytes(StandardCharsets.UTF_8));
      out.write(0);
      out.writeBytes(GitObjects.unhex(e.id()));
    }
    return out.toByteArray();
  }

  /** The tree's object id. */
  public String id() {
    return GitObjects.id("tree", encode());
  }

  /** The entry named {@code name}, or null. */
  public TreeEntry entry(String name) {
    for (TreeEntry e : entries) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** Why {@code name} cannot be a tree entry's name, or null if it can. */
  static String nameProblem(String name) {
    if (name.isEmpty()) {
      return "empty name";
    }
    if (name.equals(".") || name.equals("..")) {
      return "the name \"" + name + "\"";
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      return "'/' or NUL in the name";
    }
    return null;
  }

  private static int compare(TreeEntry a, TreeEntry b) {
    byte[] x = a.name().getBytes(StandardCharsets.UTF_8);
    byte[] y = b.name().getBytes(StandardCharsets.UTF_8);
    int n = Math.min(x.length, y.length);
    for (int i = 0; i < n; i++) {
      int c = Byte.compareUnsigned(x[i], y[i]);
      if (c != 0) {
        return c;
      }
    }
    int cx = x.length > n ? x[n] & 0xff : a.isDirectory() ? '/' : 0;
    int cy = y.length > n ? y[n] & 0xff : b.isDirectory() ? '/' : 0;
    return Integer.compare(cx, cy);
  }

  private static int indexOf(byte[] data, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] slice(byte[] data, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(data, from, out, 0, length);
    return out;
  }

  private static String utf8(byte[] data, int from, int to, int index) throws GitFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw new GitFormatException(
          "tree entry " + index + ": the name is not UTF-8 (source archives carry UTF-8 names)");
    }
  }

  /** A name for a message: control characters escaped. */
  static String escape(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length() && sb.length() < 200; i++) {
      char c = name.charAt(i);
      sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
