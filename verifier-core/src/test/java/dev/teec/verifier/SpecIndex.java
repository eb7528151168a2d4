package dev.teec.verifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The specification as checked out next to the tests: SPEC.md's table of sections and the anchors
 * each file under spec/ defines. Tests use it to check that every reference to a section names a
 * section that exists, in the file the index says holds it.
 */
final class SpecIndex {
  /** A section id: V4, W7.3, B12. */
  static final String SECTION_ID = "[VCWBR]\\d+(?:\\.\\d+)?";

  private static final Pattern ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"></a>");
  private static final Pattern INDEX_ROW =
      Pattern.compile("(?m)^\\| \\[(" + SECTION_ID + ")\\]\\((spec/[^)#]+)#\\1\\) \\|");

  private final Path root;
  private final Map<String, String> fileOfSection;

  private SpecIndex(Path root, Map<String, String> fileOfSection) {
    this.root = root;
    this.fileOfSection = fileOfSection;
  }

  /** Reads SPEC.md of the repository holding the working directory. */
  static SpecIndex load() {
    Path root = repositoryRoot();
    Map<String, String> sections = new LinkedHashMap<>();
    Matcher m = INDEX_ROW.matcher(read(root.resolve("SPEC.md")));
    while (m.find()) {
      if (sections.put(m.group(1), m.group(2)) != null) {
        throw new IllegalStateException("SPEC.md lists section " + m.group(1) + " twice");
      }
    }
    return new SpecIndex(root, sections);
  }

  /** The nearest directory at or above the working directory that holds SPEC.md and spec/. */
  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("SPEC.md")) && Files.isDirectory(p.resolve("spec"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no SPEC.md with a spec/ directory above " + Path.of("").toAbsolutePath());
  }

  Path root() {
    return root;
  }

  /** Section id to the file holding it (a path from the repository root), in index order. */
  Map<String, String> sections() {
    return fileOfSection;
  }

  /** The anchors a file under the repository root defines; empty when the file does not exist. */
  Set<String> anchors(String file) {
    Path p = root.resolve(file).normalize();
    Set<String> ids = new TreeSet<>();
    if (!p.startsWith(root) || !Files.isRegularFile(p)) {
      return ids;
    }
    Matcher m = ANCHOR.matcher(read(p));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /**
   * Why a link {@code FILE#ANCHOR} (FILE a path from the repository root) does not resolve, or null
   * when it does: the file exists and defines the anchor, and when the anchor is a section id the
   * index says that file holds it.
   */
  String problemWith(String file, String anchor) {
    if (!anchors(file).contains(anchor)) {
      return file + " does not define the anchor " + anchor;
    }
    if (anchor.matches(SECTION_ID) && !file.equals(fileOfSection.get(anchor))) {
      return "SPEC.md puts section "
          + anchor
          + " in "
          + fileOfSection.get(anchor)
          + ", not "
          + file;
    }
    return null;
  }

  /** Why a cited section id is not in the index, or null when it is. */
  String problemWithSection(String id) {
    return fileOfSection.containsKey(id) ? null : "SPEC.md lists no section " + id;
  }

  /** Every section id a citation text such as "V4 and V5", "R0 to R6" or "W8.1-W8.3" names. */
  static List<String> sectionIds(String citation) {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile(SECTION_ID).matcher(citation);
    while (m.find()) {
      ids.add(m.group());
    }
    return ids;
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
