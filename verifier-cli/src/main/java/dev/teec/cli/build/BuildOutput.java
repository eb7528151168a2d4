package dev.teec.cli.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.teec.builder.client.BuildSummary;
import dev.teec.builder.client.FailureCode;
import dev.teec.builder.progress.Progress;
import dev.teec.cli.CliSupport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What {@code teec build} prints when it is done (SPEC B9): the bundle and how to check it, or why
 * there is none and what to do next; as text, or as one JSON object on stdout with {@code --json}.
 */
final class BuildOutput {
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final PrintWriter stdout;
  private final PrintWriter stderr;
  private final boolean json;
  private final String modeName;

  BuildOutput(PrintWriter stdout, PrintWriter stderr, boolean json, String modeName) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.json = json;
    this.modeName = modeName;
  }

  /** A bundle was written. */
  void ok(BuildSummary summary, Progress progress) throws IOException {
    String verifyHint =
        "teec verify bundle "
            + (summary.simulated() ? "--simulated --any-image " : "")
            + (summary.emulated() ? "--emulated --any-image " : "")
            + (summary.debugEnclave() ? "--allow-debug " : "")
            + summary.bundle();
    if (json) {
      stdout.println(JSON.writeValueAsString(jsonOk(summary)));
    } else {
      progress.phase("done");
      stdout.println(
          "teec build: bundle written to "
              + summary.bundle()
              + " (SHA-256 "
              + summary.bundleSha256()
              + ")");
      summary.subjects().forEach((name, sha) -> stdout.println("  " + sha + "  " + name));
      if (summary.simulated()) {
        stdout.println(
            "teec build: the attestation is SIMULATED (local mode): it proves nothing about Nitro"
                + " hardware and verifies only with --simulated");
      }
      if (summary.emulated()) {
        stdout.println(
            "teec build: the attestation is EMULATED (QEMU nitro-enclave): unsigned, it proves"
                + " nothing about Nitro hardware and verifies only with --emulated");
      }
      if (summary.debugEnclave()) {
        stdout.println(
            "teec build: the enclave ran in DEBUG MODE: its attestation has all-zero PCRs");
      }
      stdout.println("teec build: check it with: " + verifyHint);
    }
    stdout.flush();
  }

  /** No bundle: the JSON object (with {@code --json}), the reason, and the next step. */
  void failed(FailureCode code, String message, String next) throws IOException {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "failed");
      m.put("failure", code.name());
      m.put("message", message);
      m.put("mode", modeName);
      m.put("bundle", null);
      stdout.println(JSON.writeValueAsString(m));
      stdout.flush();
    }
    stderr.println("teec build: " + message);
    stderr.println("teec build: no bundle was written");
    CliSupport.next(stderr, next);
  }

  /**
   * What to do after a build that produced no bundle.
   *
   * @param exitCode the build command's exit status, when it failed by exiting
   * @param buildPath the PATH a local build had
   */
  static String nextStep(
      FailureCode code, OptionalInt exitCode, String modeName, String buildPath) {
    boolean local = modeName.equals("local");
    return switch (code) {
      case BUILD_FAILED ->
          local && exitCode.orElse(0) == 127
              ? "install the missing command, or give the build a PATH that has it: --local-path"
                  + " DIR:"
                  + buildPath
              : "the build log above shows why; fix the project or build.json's input.cmd and run"
                  + " teec build again";
      case LAUNCH_FAILED ->
          local
              ? "the worker's error is above; see 'teec build --help' for --local-build-root and"
                  + " --isolation"
              : "check nitro-cli and the image options (--eif, or --registry FILE --registry-keys"
                  + " JWKS); see 'teec build --help'";
      case BUNDLE_REJECTED, ATTESTATION_REJECTED ->
          local
              ? "the local worker's attestation did not check out: check TEEC_HOME, and report the"
                  + " messages above"
              : "the enclave is not the image you named: check --eif or --registry, and report the"
                  + " messages above";
      case CANCELLED -> "run teec build again when you are ready";
      case WORKER_ERROR, WORKER_GONE ->
          "run teec build again; if it fails the same way, report the messages above";
    };
  }

  private Map<String, Object> jsonOk(BuildSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "ok");
    m.put("failure", null);
    m.put("message", "bundle written");
    m.put("mode", modeName);
    m.put("bundle", s.bundle().toString());
    m.put("bundle_sha256", s.bundleSha256());
    m.put("bundle_size", s.bundleSize());
    m.put("simulated", s.simulated());
    m.put("emulated", s.emulated());
    m.put("debug_enclave", s.debugEnclave());
    m.put("worker", s.worker());
    m.put("worker_name", s.workerName());
    m.put("nonce", s.nonce());
    m.put("report_sha384", s.reportSha384());
    m.put("source", s.source());
    m.put("subjects", s.subjects());
    return m;
  }
}
