package dev.teec.formats.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathSetTest {
  /** The shape that took minutes: 9,990 entries with 3,800-byte names, 1,895 directories deep. */
  @Test
  void add_deepLongNames_examinesEachCharacterAtMostThreeTimes() throws Exception {
    PathSet set = new PathSet();
    String deep = "artifacts/" + "a/".repeat(1895);
    long total = 0;
    for (int i = 0; i < 9_990; i++) {
      String name = deep + String.format("%04d", i) + (i % 2 == 0 ? "" : "/x");
      total += name.length();
      set.add(name);
    }
    assertThat(total).isGreaterThan(9_990L * 3_800);
    assertThat(set.work()).isLessThanOrEqualTo(3 * total);
  }

  @Test
  void add_nameBelowAnEarlierFile_isRejectedAfterUnrelatedNames() throws Exception {
    PathSet set = new PathSet();
    set.add("artifacts/a");
    set.add("artifacts/a-b");
    set.add("artifacts/a.c/d");
    assertThatThrownBy(() -> set.add("artifacts/a/x"))
        .isInstanceOf(BundleFormatException.class)
        .hasMessageContaining("lies below artifacts/a, which is a file");
  }

  @Test
  void add_sameNameTwice_isADuplicate() throws Exception {
    PathSet set = new PathSet();
    set.add("artifacts/bin/a");
    assertThatThrownBy(() -> set.add("artifacts/bin/a"))
        .hasMessageContaining("duplicate entry artifacts/bin/a");
  }

  @Test
  void add_siblingsAndPrefixNamesWithoutSlash_areAccepted() throws Exception {
    PathSet set = new PathSet();
    for (String name :
        new String[] {"artifacts/a", "artifacts/ab", "artifacts/ab.c", "artifacts/b/c", "teec/x"}) {
      set.add(name);
    }
    assertThat(set.work()).isPositive();
  }
}
