package dev.teec.builder.client;

import dev.teec.builder.launch.LocalWorkerLauncher;
import dev.teec.builder.launch.LocalWorkerSettings;
import dev.teec.builder.progress.Progress;
import dev.teec.builder.source.PackedSource;
import dev.teec.builder.source.SourcePacker;
import dev.teec.builder.source.SourceSelector;
import dev.teec.enclave.protocol.LogLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Runs builds with a real local worker process, recording what the client reported. */
final class LocalBuilds {
  final Path tmp;
  final List<String> phases = new CopyOnWriteArrayList<>();
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<String> notes = new CopyOnWriteArrayList<>();
  LocalWorkerSettings settings;
  Consumer<String> onPhase = p -> {};

  LocalBuilds(Path tmp) {
    this.tmp = tmp;
    this.settings =
        LocalWorkerSettings.ofThisJvm(tmp.resolve("home"))
            .withBuildRoot(tmp.resolve("build"))
            .withIsolation("none");
  }

  Progress progress() {
    return new Progress() {
      @Override
      public void phase(String text) {
        phases.add(text);
        onPhase.accept(text);
      }

      @Override
      public void log(LogLine line) {
        log.add(line.line());
      }

      @Override
      public void transfer(String what, long done, long total) {}

      @Override
      public void note(String text) {
        notes.add(text);
      }
    };
  }

  BuildPlan plan(Path project, Path out) throws Exception {
    PackedSource source =
        SourcePacker.pack(
            new SourceSelector().select(project, false, List.of(out)),
            Files.createDirectories(tmp.resolve("packing")));
    return new BuildPlan(
        Files.readAllBytes(project.resolve("build.json")),
        source,
        out,
        TrustRoots.simulated(tmp.resolve("home")));
  }

  BuildSummary build(BuildClient client, Path project, Path out) throws Exception {
    return client.run(plan(project, out), new LocalWorkerLauncher(settings), progress());
  }

  static BuildClient client() {
    return new BuildClient(Clock.systemUTC(), new SecureRandom(), "teec build test");
  }
}
