package dev.teec.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/** Recipes and host tools for tests: the bundled recipe with scripts replaced by small fakes. */
public final class FakeRecipes {
  private FakeRecipes() {}

  /**
   * The bundled recipe, extracted to {@code dir}, with {@code script} replacing the file {@code
   * name}.
   */
  public static ImageRecipe withScript(Path dir, String name, String script) throws IOException {
    Path images = ImageRecipe.bundled().extract(dir);
    Files.writeString(images.resolve(name), script);
    return ImageRecipe.fromDirectory(images);
  }

  /**
   * An environment whose PATH holds {@code sh} and executables named {@code tools} that do nothing,
   * and nothing else.
   */
  public static Map<String, String> hostWith(Path dir, List<String> tools) throws IOException {
    Path bin = Files.createDirectories(dir);
    for (String tool : tools) {
      Path p = bin.resolve(tool);
      if (tool.equals("sh")) {
        Files.createSymbolicLink(p, Path.of("/bin/sh"));
      } else {
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    return Map.of("PATH", bin + ":/usr/bin:/bin");
  }
}
