package dev.teec.cli.build;

import dev.teec.builder.progress.Progress;
import dev.teec.builder.toolchain.ToolchainResolver;
import dev.teec.builder.toolchain.ToolchainResolver.LocalToolchain;
import dev.teec.formats.buildspec.BuildSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The toolchain of a local {@code teec build}, chosen and told to the user. */
final class LocalToolchains {
  private LocalToolchains() {}

  /**
   * The user's toolchain for a local build ({@link ToolchainResolver}), told to the user: where the
   * build looks for commands, what it gets of the user's environment, what is missing.
   */
  static LocalToolchain resolve(
      Map<String, String> environment,
      BuildSpec buildSpec,
      Path project,
      String localPath,
      Progress progress)
      throws InterruptedException {
    LocalToolchain toolchain =
        new ToolchainResolver(environment)
            .resolve(buildSpec.language(), project, Optional.ofNullable(localPath));
    toolchain.notes().forEach(progress::note);
    progress.note(
        "toolchain: PATH="
            + toolchain.path()
            + toolchain.environment().entrySet().stream()
                .map(e -> ", " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining()));
    if (!toolchain.missing().isEmpty()) {
      progress.note(
          "WARNING: "
              + String.join(", ", toolchain.missing())
              + (toolchain.missing().size() == 1 ? " is" : " are")
              + " not in "
              + (localPath != null ? "--local-path" : "your PATH")
              + "; a "
              + buildSpec.language().id()
              + " build usually needs "
              + (toolchain.missing().size() == 1 ? "it" : "them")
              + " (install, or give the build a PATH with --local-path)");
    }
    return toolchain;
  }
}
