package dev.teec.formats.report;

import java.util.regex.Pattern;

/**
 * A command of the build's toolchain as a local build found it on the host (SPEC W3, {@code
 * internalParameters.tools}): where the build's PATH finds it, which file that runs, and the
 * version it reports. Only a local worker records these; an enclave image's toolchain is part of
 * the image.
 *
 * @param name the command, e.g. {@code cargo}
 * @param path the absolute file the build's PATH finds for it
 * @param resolvedPath the absolute file that runs: {@code path} with symbolic links resolved, or,
 *     for a rustup proxy, the toolchain's own binary
 * @param version the first line the command printed when asked for its version, or null when it
 *     printed none
 */
public record ResolvedTool(String name, String path, String resolvedPath, String version) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

  /** Validates every component. */
  public ResolvedTool {
    Checks.text(name, 64, "tool name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tool name must match " + NAME.pattern() + ", got \"" + Checks.abbreviate(name) + "\"");
    }
    absolute(path, "path of tool " + name);
    absolute(resolvedPath, "resolved path of tool " + name);
    if (version != null) {
      Checks.text(version, 256, "version of tool " + name);
    }
  }

  private static void absolute(String value, String what) {
    Checks.text(value, 4096, what);
    if (!value.startsWith("/")) {
      throw new IllegalArgumentException(
          what + " must be absolute, got \"" + Checks.abbreviate(value) + "\"");
    }
  }
}
