package dev.teec.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * References to the specification resolve: the check references the verifier hands out, and every
 * citation of a section in the production sources and the documentation (SPEC.md W7.3,
 * spec/verifier.md#V4, and the relative links between the spec files).
 */
class SpecReferencesTest {
  private static final String ID = SpecIndex.SECTION_ID;

  /**
   * "SPEC.md W7.3", "SPEC C4", "SPEC.md (W7)", "SPEC.md, section V7", "SPEC.md sections R0 to R6",
   * "SPEC.md V4 and V5".
   */
  private static final Pattern SPEC_MD_CITATION =
      Pattern.compile(
          "\\bSPEC(?:\\.md)?,? \\(?(?:sections? )?("
              + ID
              + "(?:(?:, | and | to | or |–|-)"
              + ID
              + ")*)");

  /** SPEC.md is an index without anchors: a link into it would not resolve on GitHub. */
  private static final Pattern SPEC_MD_ANCHOR = Pattern.compile("SPEC\\.md#(\\S*)");

  /** A path from the repository root with an anchor, as the code and the docs write it. */
  private static final Pattern ROOT_LINK =
      Pattern.compile("(?<![\\w./-])(spec/[\\w./-]+\\.md)#([\\w.-]+)");

  /** A Markdown link target with an anchor, relative to the file it is in. */
  private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s#]*)#([^)\\s]+)\\)");

  private static final Set<String> TEXT_EXTENSIONS =
      Set.of("java", "md", "yml", "yaml", "xml", "properties", "sh", "txt");

  private static SpecIndex spec;

  @BeforeAll
  static void loadSpec() {
    spec = SpecIndex.load();
  }

  @Test
  void checkIds_specReference_namesAFileAndAnAnchorDefinedInIt() {
    for (CheckId id : CheckId.values()) {
      String[] ref = id.specReference().split("#", 2);

      assertThat(ref).as(id.id()).hasSize(2);
      assertThat(spec.problemWith(ref[0], ref[1]))
          .as(id.id() + " -> " + id.specReference())
          .isNull();
    }
  }

  @Test
  void index_everySection_isDefinedInItsFileAndEveryAnchorIsIndexed() throws IOException {
    assertThat(spec.sections())
        .containsKeys("V0", "V8", "C1", "C5", "W0", "W7.3", "W9.4", "B1", "B13", "R0", "R6");
    for (Map.Entry<String, String> e : spec.sections().entrySet()) {
      assertThat(spec.problemWith(e.getValue(), e.getKey())).isNull();
    }
    try (Stream<Path> files = Files.walk(spec.root().resolve("spec"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".md")).toList()) {
        String file = spec.root().relativize(f).toString().replace('\\', '/');
        for (String anchor : spec.anchors(file)) {
          if (anchor.matches(ID)) {
            assertThat(spec.sections())
                .as(file + "#" + anchor + " in the index")
                .containsEntry(anchor, file);
          }
        }
      }
    }
  }

  @Test
  void sourcesAndDocs_specCitations_resolveToIndexedSections() throws IOException {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path file : productionSourcesAndDocs()) {
      checked += citationProblems(file, SpecIndex.read(file), problems);
    }

    assertThat(problems).isEmpty();
    // The spec's own cross-references alone number well over a hundred: finding few means the
    // scan is broken, not that everything resolves.
    assertThat(checked).isGreaterThan(200);
  }

  @Test
  void citationProblems_unknownSectionsAndDeadLinks_areReported() {
    Path file = spec.root().resolve("verifier-core/src/main/java/Example.java");
    List<String> problems = new ArrayList<>();

    int checked =
        citationProblems(
            file,
            "see SPEC.md W99, SPEC.md sections V1 to V77, spec/verifier.md#V99, spec/cli.md#V4,"
                + " spec/nothing.md#V4, SPEC.md#V4, SPEC B14 and SPEC.md W7.3",
            problems);

    assertThat(checked).isEqualTo(9);
    assertThat(problems).hasSize(7);
    assertThat(String.join("\n", problems))
        .contains(
            "no section W99",
            "no section V77",
            "no section B14",
            "anchor V99",
            "spec/cli.md does not define the anchor V4",
            "spec/nothing.md",
            "SPEC.md#V4");
  }

  /**
   * Adds a problem for every citation in {@code text} (the content of {@code file}) that does not
   * resolve; returns how many citations were checked.
   */
  private static int citationProblems(Path file, String text, List<String> problems) {
    String where = spec.root().relativize(file).toString().replace('\\', '/');
    // Javadoc and Markdown wrap citations across lines ("SPEC.md sections\n * R1 to R4").
    String flat = text.replaceAll("\\s*\\R\\s*(?:\\*(?!/)|//)?\\s*", " ");
    int checked = 0;
    if (where.endsWith(".md")) {
      Matcher m = MARKDOWN_LINK.matcher(flat);
      while (m.find()) {
        Path target =
            m.group(1).isEmpty() ? file : file.getParent().resolve(m.group(1)).normalize();
        String relative = spec.root().relativize(target).toString().replace('\\', '/');
        if (relative.equals("SPEC.md") || relative.startsWith("spec/")) {
          checked++;
          addProblem(problems, where, spec.problemWith(relative, m.group(2)));
        }
      }
      flat = MARKDOWN_LINK.matcher(flat).replaceAll("]");
    }
    Matcher m = ROOT_LINK.matcher(flat);
    while (m.find()) {
      checked++;
      addProblem(problems, where, spec.problemWith(m.group(1), m.group(2)));
    }
    m = SPEC_MD_ANCHOR.matcher(flat);
    while (m.find()) {
      checked++;
      addProblem(problems, where, m.group() + " does not resolve: link spec/<file>.md#<section>");
    }
    m = SPEC_MD_CITATION.matcher(flat);
    while (m.find()) {
      for (String id : SpecIndex.sectionIds(m.group(1))) {
        checked++;
        addProblem(problems, where, spec.problemWithSection(id));
      }
    }
    return checked;
  }

  private static void addProblem(List<String> problems, String where, String problem) {
    if (problem != null) {
      problems.add(where + ": " + problem);
    }
  }

  /** Text files of the repository outside test sources, build output and hidden directories. */
  private static List<Path> productionSourcesAndDocs() throws IOException {
    Path root = spec.root();
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !excluded(root.relativize(p)))
          .filter(
              p -> {
                String name = p.getFileName().toString();
                String ext = name.substring(name.lastIndexOf('.') + 1);
                return TEXT_EXTENSIONS.contains(ext) || root.relativize(p).startsWith("bin");
              })
          .toList();
    }
  }

  private static boolean excluded(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      String dir = relative.getName(i).toString();
      boolean testSources =
          dir.equals("test") && i > 0 && relative.getName(i - 1).toString().equals("src");
      if (dir.startsWith(".")
          || dir.equals("target")
          || dir.equals("node_modules")
          || testSources) {
        return true;
      }
    }
    return false;
  }
}
