package dev.teec.builder.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Sample projects for builds in tests. */
final class Projects {
  static final String C_BUILD_JSON =
      "{\"language\":\"c\",\"input\":{\"cmd\":\"echo compiling; gcc -O2 -o hello hello.c\"},"
          + "\"output\":{\"files\":[\"hello\"]}}";
  static final String HELLO_C =
      "#include <stdio.h>\nint main(void) { puts(\"hello from teec\"); return 0; }\n";

  private Projects() {}

  static Path write(Path dir, Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    return dir;
  }

  static Path cProgram(Path dir) throws IOException {
    return write(dir, Map.of("build.json", C_BUILD_JSON, "hello.c", HELLO_C));
  }

  /** A "build" that runs until killed, recognisable by its unusual sleep duration. */
  static Path sleeper(Path dir, String marker) throws IOException {
    return write(
        dir,
        Map.of(
            "build.json",
            "{\"language\":\"c\",\"input\":{\"cmd\":\"echo started; sleep "
                + marker
                + "\"},\"output\":{\"files\":[\"x\"]}}"));
  }
}
