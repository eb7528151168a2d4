package dev.teec.formats.bundle;

import java.util.HashSet;
import java.util.Set;

/**
 * Entry names seen so far, rejecting duplicates and names that would have to be both a file and a
 * directory on extraction ({@code a} and {@code a/b}).
 */
final class PathSet {
  private final Set<String> files = new HashSet<>();
  private final Set<String> directories = new HashSet<>();

  void add(String name) throws BundleFormatException {
    if (files.contains(name)) {
      throw new BundleFormatException("duplicate entry " + name);
    }
    if (directories.contains(name)) {
      throw new BundleFormatException(
          "entry " + name + " is a file but also the directory of another entry");
    }
    for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
      String parent = name.substring(0, slash);
      if (files.contains(parent)) {
        throw new BundleFormatException(
            "entry " + name + " lies below " + parent + ", which is a file");
      }
      directories.add(parent);
    }
    files.add(name);
  }
}
