package dev.teec.enclave.runner;

import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.buildspec.Language;
import dev.teec.formats.buildspec.OutputPattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared helpers for the runner tests. */
final class RunnerFixtures {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private RunnerFixtures() {}

  static BuildSpec spec(String cmd, String... outputs) {
    return spec(cmd, Map.of(), Duration.ofSeconds(60), outputs);
  }

  static BuildSpec spec(String cmd, Map<String, String> env, Duration timeout, String... outputs) {
    return specIn(".", cmd, env, timeout, outputs);
  }

  static BuildSpec specIn(
      String workdir, String cmd, Map<String, String> env, Duration timeout, String... outputs) {
    List<OutputPattern> files = Arrays.stream(outputs).map(OutputPattern::compile).toList();
    return new BuildSpec(
        Language.C,
        Optional.empty(),
        new BuildSpec.Input(cmd, workdir, env, timeout),
        new BuildSpec.Output(files));
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /** A clock that moves one second forward on every reading, so start and finish differ. */
  static Clock steppingClock() {
    return new Clock() {
      private long calls;

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public synchronized Instant instant() {
        return T0.plusSeconds(calls++);
      }
    };
  }
}
