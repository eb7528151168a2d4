package dev.teec.enclave.git;

import java.nio.charset.StandardCharsets;

/**
 * What the worker reads from a commit object: its tree and its committer time.
 *
 * @param tree the id of the commit's root tree
 * @param committerTime the committer time, seconds since the epoch
 */
public record GitCommit(String tree, long committerTime) {
  private static final int MAX_TIME_DIGITS = 18;

  /**
   * Parses a commit object's content (without the {@code "commit <size>\0"} header). The header
   * lines must be in the order git writes and fsck checks: {@code tree}, any {@code parent}s,
   * {@code author}, {@code committer}; further headers (encoding, gpgsig, mergetag, ...) and the
   * message are not read.
   *
   * @throws GitFormatException naming the line that is missing or malformed
   */
  public static GitCommit parse(byte[] content) throws GitFormatException {
    int[] pos = {0};
    String line = line(content, pos, "tree");
    if (!line.startsWith("tree ") || !GitObjects.isSha1(line.substring(5))) {
      throw new GitFormatException(
          "commit object: the first line must be \"tree <40 hex digits>\"");
    }
    String tree = line.substring(5);
    line = line(content, pos, "author");
    while (line.startsWith("parent ")) {
      if (!GitObjects.isSha1(line.substring(7))) {
        throw new GitFormatException(
            "commit object: a parent line must be \"parent <40 hex digits>\"");
      }
      line = line(content, pos, "author");
    }
    if (!line.startsWith("author ")) {
      throw new GitFormatException("commit object: no author line after tree and parents");
    }
    line = line(content, pos, "committer");
    if (!line.startsWith("committer ")) {
      throw new GitFormatException("commit object: no committer line after the author line");
    }
    return new GitCommit(tree, time(line));
  }

  /** "committer Name <email> 1700000000 +0100": the number after the address. */
  private static long time(String line) throws GitFormatException {
    int gt = line.lastIndexOf('>');
    String[] rest = gt < 0 ? new String[0] : line.substring(gt + 1).strip().split(" ");
    if (rest.length != 2
        || !rest[0].matches("[0-9]{1," + MAX_TIME_DIGITS + "}")
        || !rest[1].matches("[+-][0-9]{4}")) {
      throw new GitFormatException(
          "commit object: the committer line must end with \"> <seconds> <+hhmm>\"");
    }
    return Long.parseLong(rest[0]);
  }

  /** The next header line, without its LF; ASCII is all that is compared. */
  private static String line(byte[] content, int[] pos, String expected) throws GitFormatException {
    int start = pos[0];
    int end = start;
    while (end < content.length && content[end] != '\n') {
      end++;
    }
    if (end >= content.length || end == start) {
      throw new GitFormatException(
          "commit object: the header ends before the " + expected + " line");
    }
    pos[0] = end + 1;
    return new String(content, start, end - start, StandardCharsets.ISO_8859_1);
  }
}
