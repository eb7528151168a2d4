package dev.teec.cli.challenge;

import dev.teec.builder.client.BuildClient;
import dev.teec.builder.client.BuildException;
import dev.teec.builder.client.BuildPlan;
import dev.teec.builder.client.BuildSummary;
import dev.teec.builder.client.FailureCode;
import dev.teec.builder.client.TrustRoots;
import dev.teec.builder.launch.EnclaveLauncher;
import dev.teec.cli.CliSupport;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Rebuilds in a Nitro Enclave with the build client of {@code teec build} (SPEC B3): the enclave is
 * started as {@code teec build --mode nitro} starts it, the source and the original's build.json
 * and source metadata are sent with a fresh nonce, and the returned bundle is kept only when its
 * attestation chains to the Nitro root with this rebuild's nonce, the image's PCRs and the report's
 * digest, and its report describes this rebuild (B7). The enclave is terminated in every case, also
 * on Ctrl-C.
 *
 * <p>There is no offline replay: the build's proxy runs inside the enclave and cannot read this
 * machine's cache.
 */
final class NitroRebuilder implements Rebuilder {
  private final EnclaveLauncher launcher;
  private final TrustRoots roots;
  private final Clock clock;

  /**
   * @param launcher starts the enclave (from {@code NitroOptions})
   * @param roots the root the rebuilt bundle's attestation must chain to
   * @param clock "now" for checking that attestation
   */
  NitroRebuilder(EnclaveLauncher launcher, TrustRoots roots, Clock clock) {
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.roots = Objects.requireNonNull(roots, "roots");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String describe() {
    return "in a " + launcher.kind();
  }

  @Override
  public void rebuild(Request request)
      throws ChallengeException, IOException, InterruptedException {
    if (request.replay().isPresent()) {
      throw new IllegalArgumentException(
          "offline replay needs the local worker; ReproduceCommand refuses it first");
    }
    BuildClient client = new BuildClient(clock, new SecureRandom(), "teec challenge reproduce");
    // Ctrl-C: terminate the enclave and drop the partial bundle before the JVM exits.
    Thread hook =
        new Thread(() -> client.abort(Duration.ofSeconds(30)), "teec-reproduce-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    BuildSummary summary;
    try {
      summary =
          client.run(
              new BuildPlan(
                  request.buildJson(),
                  request.packed(),
                  request.bundleOut(),
                  roots,
                  Optional.of(request.source())),
              launcher,
              request.progress());
    } catch (BuildException e) {
      throw new ChallengeException(
              e.code() == FailureCode.LAUNCH_FAILED ? CliSupport.INTERNAL : CliSupport.REJECTED,
              "the rebuild failed (" + e.code() + "): " + e.getMessage(),
              e)
          .next(Rebuilder.REBUILD_FAILED);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running and cleans up.
      }
    }
    request
        .progress()
        .note(
            "the rebuilt bundle checks out: "
                + summary.worker()
                + ", this rebuild's nonce "
                + summary.nonce()
                + ", report SHA-384 "
                + summary.reportSha384());
  }
}
