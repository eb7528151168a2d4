package dev.teec.formats.bundle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Entry names seen so far, added in {@link BundleLayout#ENTRY_ORDER}, rejecting duplicates and a
 * name below another entry's name ({@code a}, then {@code a/b}): such a name would have to be both
 * a file and a directory on extraction.
 *
 * <p>Linear in the total length of the names, however deep they are: in sorted order the names that
 * start with a given name form one contiguous run, so only the chain of earlier names that are
 * prefixes of the latest one can be prefixes of a later one. A set of every parent path instead
 * hashes each prefix of a deep name, quadratic in its length (9,990 names of 3,800 bytes took
 * minutes).
 */
final class PathSet {
  /** Earlier names, each a prefix of the one above it; the top is the latest name. */
  private final Deque<String> chain = new ArrayDeque<>();

  /** The lengths of the names in {@link #chain}. */
  private final Set<Integer> lengths = new HashSet<>();

  private long work;

  /**
   * Adds {@code name}, which must not sort before the previous name (the caller checks: an unsorted
   * input makes this miss names below an earlier one).
   *
   * @throws BundleFormatException if it was added before or lies below an earlier name
   */
  void add(String name) throws BundleFormatException {
    while (!chain.isEmpty() && !name.startsWith(chain.peek())) {
      String left = chain.pop();
      lengths.remove(left.length());
      work += left.length();
    }
    if (!chain.isEmpty() && chain.peek().length() == name.length()) {
      throw new BundleFormatException("duplicate entry " + name);
    }
    for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
      if (lengths.contains(slash)) {
        throw new BundleFormatException(
            "entry " + name + " lies below " + name.substring(0, slash) + ", which is a file");
      }
    }
    work += 2L * name.length();
    chain.push(name);
    lengths.add(name.length());
  }

  /** The characters examined by {@link #add} so far: at most three times the names' length. */
  long work() {
    return work;
  }
}
