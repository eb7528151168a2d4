package dev.teec.enclave.runner;

import dev.teec.formats.report.ResolvedTool;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of running a build; every field is for the report.
 *
 * @param status how the build ended
 * @param failure why it did not succeed, for the user; empty exactly when {@code status} is {@link
 *     BuildStatus#SUCCEEDED}
 * @param exitCode the command's exit status (128 + signal number when killed by a signal)
 * @param timedOut whether the timeout killed the build
 * @param started when the command was started, from the runner's clock
 * @param finished when the command and its process tree had ended, from the runner's clock
 * @param log the captured log
 * @param outputs the output files sorted by relative path; empty unless {@code status} is {@link
 *     BuildStatus#SUCCEEDED}
 * @param environment every variable the build command started with, sorted by name
 * @param isolation whether network isolation was enforced
 * @param tools the host's toolchain commands found for a local build ({@link
 *     RunnerConfig#hostToolchains()}), in the language's order; empty when not recorded
 */
public record RunOutcome(
    BuildStatus status,
    Optional<String> failure,
    int exitCode,
    boolean timedOut,
    Instant started,
    Instant finished,
    BuildLog log,
    List<OutputFile> outputs,
    Map<String, String> environment,
    NetworkIsolation isolation,
    Optional<List<ResolvedTool>> tools) {
  public RunOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(finished, "finished");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(isolation, "isolation");
    if ((status == BuildStatus.SUCCEEDED) == failure.isPresent()) {
      throw new IllegalArgumentException(
          "failure must be present exactly when the build did not succeed");
    }
    if (status != BuildStatus.SUCCEEDED && !outputs.isEmpty()) {
      throw new IllegalArgumentException("a build that did not succeed has no outputs");
    }
    if (timedOut != (status == BuildStatus.TIMED_OUT)) {
      throw new IllegalArgumentException("timedOut must agree with status");
    }
    outputs = List.copyOf(outputs);
    SortedMap<String, String> env = new TreeMap<>(environment);
    environment = Collections.unmodifiableSortedMap(env);
    tools = Objects.requireNonNull(tools, "tools").map(List::copyOf);
  }

  /** True when the build may be reported as successful. */
  public boolean succeeded() {
    return status == BuildStatus.SUCCEEDED;
  }
}
