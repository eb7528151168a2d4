package dev.teec.distribution;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The class list of a training run ({@code -XX:DumpLoadedClassList}) in a reproducible form: its
 * order follows class loading, which varies from run to run, and {@code -Xshare:dump} does not
 * depend on it. Comments and blank lines are dropped, classes come sorted and without duplicates,
 * then the {@code @}-directives (lambda proxies and lambda form invokers), sorted, after the
 * classes they name.
 */
final class ClassList {
  private ClassList() {}

  static byte[] normalize(byte[] dumped) {
    TreeSet<String> classes = new TreeSet<>();
    TreeSet<String> directives = new TreeSet<>();
    for (String line : new String(dumped, StandardCharsets.UTF_8).split("\r?\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      (trimmed.startsWith("@") ? directives : classes).add(trimmed);
    }
    List<String> lines = new ArrayList<>(classes);
    lines.addAll(directives);
    StringBuilder out = new StringBuilder();
    lines.forEach(l -> out.append(l).append('\n'));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
