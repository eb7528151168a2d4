package dev.teec.enclave.worker;

import dev.teec.enclave.nsm.Nsm;
import dev.teec.enclave.protocol.egress.TcpUpstreamConnector;
import dev.teec.enclave.protocol.egress.UpstreamConnector;
import dev.teec.enclave.proxy.OfflineReplay;
import dev.teec.enclave.runner.RunnerConfig;
import dev.teec.formats.report.EnclaveRuntime;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a worker runs: where it attests, how builds run, how the proxy reaches upstream.
 *
 * @param nsm the NSM, real or simulated
 * @param inEnclave true only inside a Nitro Enclave with the real NSM; selects the builder id
 * @param runner build runner settings (build root, limits, isolation)
 * @param upstream how the recording proxy reaches upstream hosts (TCP locally, vsock egress in
 *     Nitro)
 * @param extraAllowedHosts hosts allowed besides the language's package registries
 * @param registryId the trust-store id of this enclave image, or null when unknown
 * @param version the worker version, recorded in the report
 * @param clock time source for the report and certificates
 * @param random randomness for keys and ids
 * @param replay offline replay: the proxy answers from an earlier build's recorded responses and
 *     never contacts upstream (SPEC W7.8); null for a live proxy
 * @param upstreamTls the TLS context whose trust managers decide which upstream servers the proxy
 *     trusts (SPEC W7.3); null for the JDK's default trust store
 * @param enclaveRuntime the NSM device and parent CID the report records (SPEC W3), set by a worker
 *     inside an enclave; empty elsewhere
 */
public record WorkerConfig(
    Nsm nsm,
    boolean inEnclave,
    RunnerConfig runner,
    UpstreamConnector upstream,
    List<String> extraAllowedHosts,
    String registryId,
    String version,
    Clock clock,
    SecureRandom random,
    OfflineReplay replay,
    SSLContext upstreamTls,
    Optional<EnclaveRuntime> enclaveRuntime) {

  public WorkerConfig {
    Objects.requireNonNull(nsm, "nsm");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(upstream, "upstream");
    extraAllowedHosts = List.copyOf(extraAllowedHosts);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(enclaveRuntime, "enclaveRuntime");
  }

  /** A live configuration (no replay). */
  public WorkerConfig(
      Nsm nsm,
      boolean inEnclave,
      RunnerConfig runner,
      UpstreamConnector upstream,
      List<String> extraAllowedHosts,
      String registryId,
      String version,
      Clock clock,
      SecureRandom random) {
    this(
        nsm,
        inEnclave,
        runner,
        upstream,
        extraAllowedHosts,
        registryId,
        version,
        clock,
        random,
        null,
        null,
        Optional.empty());
  }

  /** This configuration with the proxy replaying {@code offline} instead of going upstream. */
  public WorkerConfig withReplay(OfflineReplay offline) {
    return new WorkerConfig(
        nsm,
        inEnclave,
        runner,
        upstream,
        extraAllowedHosts,
        registryId,
        version,
        clock,
        random,
        Objects.requireNonNull(offline, "offline"),
        upstreamTls,
        enclaveRuntime);
  }

  /** This configuration with the proxy trusting upstream servers through {@code context}. */
  public WorkerConfig withUpstreamTls(SSLContext context) {
    return new WorkerConfig(
        nsm,
        inEnclave,
        runner,
        upstream,
        extraAllowedHosts,
        registryId,
        version,
        clock,
        random,
        replay,
        Objects.requireNonNull(context, "context"),
        enclaveRuntime);
  }

  /** This configuration with the enclave's NSM device and parent CID recorded in reports. */
  public WorkerConfig withEnclaveRuntime(EnclaveRuntime runtime) {
    return new WorkerConfig(
        nsm,
        inEnclave,
        runner,
        upstream,
        extraAllowedHosts,
        registryId,
        version,
        clock,
        random,
        replay,
        upstreamTls,
        Optional.of(Objects.requireNonNull(runtime, "runtime")));
  }

  /** A local (simulated) worker with TCP upstream and the runner's defaults. */
  public static WorkerConfig local(Nsm nsm, RunnerConfig runner, String version, Clock clock) {
    return new WorkerConfig(
        nsm,
        false,
        runner,
        TcpUpstreamConnector.anyAddress(),
        List.of(),
        null,
        version,
        clock,
        new SecureRandom());
  }
}
