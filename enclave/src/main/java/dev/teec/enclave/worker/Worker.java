package dev.teec.enclave.worker;

import dev.teec.digest.Digests;
import dev.teec.enclave.git.ReceivedTree;
import dev.teec.enclave.git.SourceClaimException;
import dev.teec.enclave.nsm.AttestationRequest;
import dev.teec.enclave.nsm.NsmException;
import dev.teec.enclave.proxy.HostAllowlist;
import dev.teec.enclave.proxy.NetworkRecord;
import dev.teec.enclave.proxy.ProxyCa;
import dev.teec.enclave.proxy.RecordingProxy;
import dev.teec.enclave.proxy.ToolchainEnvironment;
import dev.teec.enclave.runner.ArchiveLimits;
import dev.teec.enclave.runner.BuildArea;
import dev.teec.enclave.runner.BuildNotes;
import dev.teec.enclave.runner.BuildRunner;
import dev.teec.enclave.runner.LogListener;
import dev.teec.enclave.runner.OutputFile;
import dev.teec.enclave.runner.RunOutcome;
import dev.teec.enclave.runner.RunRequest;
import dev.teec.enclave.runner.SourceArchive;
import dev.teec.enclave.text.UntrustedText;
import dev.teec.formats.buildspec.BuildSpec;
import dev.teec.formats.buildspec.BuildSpecException;
import dev.teec.formats.bundle.BundleArtifact;
import dev.teec.formats.bundle.BundleContents;
import dev.teec.formats.bundle.BundleWriter;
import dev.teec.formats.bundle.WrittenBundle;
import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EnclaveImage;
import dev.teec.formats.report.EphemeralSigningKey;
import dev.teec.formats.report.InternalParameters;
import dev.teec.formats.report.Isolation;
import dev.teec.formats.report.NetworkResource;
import dev.teec.formats.report.ProvenanceReport;
import dev.teec.formats.report.SourceInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Runs one attested build: extract the source into the canonical build area, run build.json's
 * command with all network traffic through a fresh recording proxy, hash the outputs, write the
 * in-toto/SLSA report, sign it as DSSE with a key generated for this build, have the NSM attest
 * {@code user_data = SHA-384(report)}, {@code nonce} and {@code public_key}, and pack the bundle.
 *
 * <p>A build that fails (non-zero exit, timeout, missing or escaping outputs) is never attested and
 * yields no bundle. One worker runs one build at a time (the build area is locked).
 */
public final class Worker {
  private static final HexFormat HEX = HexFormat.of();

  /** Failed fetches named in a build's log; more are only counted (a build may provoke many). */
  static final int MAX_PROXY_NOTES = 20;

  private static final int MAX_NOTE_FIELD = 300;

  private final WorkerConfig config;
  private final BuildRunner runner;

  public Worker(WorkerConfig config) {
    this.config = config;
    this.runner = new BuildRunner(config.runner(), config.clock());
  }

  /**
   * Builds {@code job} from the tar archive {@code sourceArchive} and, on success, writes the
   * bundle to {@code bundleOut} atomically.
   *
   * @param log receives every build-log line while the build runs (and proxy activity)
   * @throws IOException for invalid input (build.json, archive) or I/O failure; nothing is written
   * @throws dev.teec.enclave.git.SourceClaimException (an IOException) if the job carries a source
   *     claim and the archive's files are not its tree; nothing is built or written
   * @throws NsmException when attestation fails; nothing is written
   */
  public WorkerResult build(
      BuildJob job, InputStream sourceArchive, Path bundleOut, LogListener log)
      throws IOException, NsmException, InterruptedException {
    return build(job, sourceArchive, bundleOut, log, () -> {});
  }

  /** Told when a build that succeeded goes on to be attested, so a client can show the phase. */
  @FunctionalInterface
  public interface AttestingListener {
    /** The build succeeded; the report is about to be signed and attested. */
    void attesting() throws IOException;
  }

  /**
   * As {@link #build(BuildJob, InputStream, Path, LogListener)}, telling {@code attesting} when the
   * attestation starts (it is not called for a failed build).
   */
  public WorkerResult build(
      BuildJob job,
      InputStream sourceArchive,
      Path bundleOut,
      LogListener log,
      AttestingListener attesting)
      throws IOException, NsmException, InterruptedException {
    BuildSpec spec = BuildSpec.parse(job.buildJson());
    // Validate the nonce before spending minutes on a build the NSM would refuse to attest.
    new AttestationRequest(null, job.nonce(), null);
    Map<Integer, byte[]> imagePcrs = config.nsm().pcrs();

    try (BuildArea area = runner.prepare()) {
      ReceivedTree received = job.claim().isPresent() ? new ReceivedTree() : null;
      SourceArchive.Extracted source =
          SourceArchive.extract(
              sourceArchive, area.sourceDir(), ArchiveLimits.defaults(), received);
      if (received != null) {
        // Before anything runs: a claim that does not hold yields no build, hence no bundle.
        job.claim().get().verifyArchive(received);
        verifyCommittedBuildJson(area.sourceDir(), spec);
      }
      List<String> allowed = new ArrayList<>(spec.language().registryHosts());
      allowed.addAll(config.extraAllowedHosts());
      Path trustDir = Files.createDirectories(area.homeDir().resolve(".teec-proxy"));

      RunOutcome outcome;
      List<NetworkRecord> records;
      ProxyCa ca = ProxyCa.generate(config.random(), config.clock());
      BuildNotes notes =
          new BuildNotes(MAX_PROXY_NOTES, n -> "proxy: " + n + " more failed fetches not shown");
      RecordingProxy.Builder proxyBuilder =
          RecordingProxy.builder(ca)
              .allowlist(HostAllowlist.of(allowed))
              .connector(config.upstream())
              .listener(
                  r -> {
                    if (!r.complete()) {
                      notes.note(proxyNote(r));
                    }
                  });
      if (config.replay() != null) {
        proxyBuilder.replay(config.replay());
      }
      if (config.upstreamTls() != null) {
        proxyBuilder.upstreamTls(config.upstreamTls());
      }
      try (RecordingProxy proxy = proxyBuilder.start()) {
        Map<String, String> proxyEnv =
            withJvmUserHome(
                ToolchainEnvironment.write(ca, proxy.address(), trustDir), area.homeDir());
        RunRequest request =
            RunRequest.of(spec).withExtraEnvironment(proxyEnv).withProxy(proxy.address());
        if (job.source().commitTime().isPresent()) {
          request = request.withSourceDate(job.source().commitTime().get());
        }
        outcome = runner.run(area, request, log, notes);
        records = proxy.records();
      }
      if (!outcome.succeeded()) {
        return new WorkerResult(
            outcome.status(),
            outcome.exitCode(),
            Optional.of(outcome.failure().orElse("the build failed")),
            Optional.empty(),
            Optional.empty());
      }

      attesting.attesting();
      ProvenanceReport report = report(job, spec, source, area, outcome, records, imagePcrs);
      byte[] reportBytes = report.canonicalBytes();
      EphemeralSigningKey key = EphemeralSigningKey.generate(config.random());
      byte[] dsse;
      try {
        dsse = Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, reportBytes, key).toJson();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("signing with the key generated for this build failed", e);
      }
      byte[] reportDigest = Digests.sha384(reportBytes);
      byte[] attestation =
          config
              .nsm()
              .attest(new AttestationRequest(reportDigest, job.nonce(), key.publicKeyDer()));

      Path logFile = area.tmpDir().resolve("teec-build.log");
      Files.write(logFile, outcome.log().bytes());
      List<BundleArtifact> artifacts = new ArrayList<>();
      for (OutputFile out : outcome.outputs()) {
        artifacts.add(
            new BundleArtifact(out.relativePath(), out.file(), out.sha256(), out.executable()));
      }
      WrittenBundle bundle =
          BundleWriter.write(
              bundleOut, new BundleContents(reportBytes, dsse, attestation, logFile, artifacts));
      return new WorkerResult(
          outcome.status(),
          outcome.exitCode(),
          Optional.empty(),
          Optional.of(bundle),
          Optional.of(HEX.formatHex(reportDigest)));
    }
  }

  /**
   * The build-log line for a fetch the proxy could not complete: a tool often prints only the
   * status, and a failed build yields no report holding the record. The URL and reason come from
   * the build or upstream, so control characters are escaped and each is shortened.
   */
  static String proxyNote(NetworkRecord r) {
    return "proxy: "
        + UntrustedText.abbreviate(r.method(), MAX_NOTE_FIELD)
        + " "
        + UntrustedText.abbreviate(r.url(), MAX_NOTE_FIELD)
        + " -> "
        + (r.status() == 0 ? "no response" : Integer.toString(r.status()))
        + ": "
        + UntrustedText.abbreviate(r.error(), MAX_NOTE_FIELD);
  }

  private ProvenanceReport report(
      BuildJob job,
      BuildSpec spec,
      SourceArchive.Extracted source,
      BuildArea area,
      RunOutcome outcome,
      List<NetworkRecord> records,
      Map<Integer, byte[]> imagePcrs) {
    ClaimedSource meta = job.source();
    SourceInfo sourceInfo = SourceInfo.ofArchive(source.sha256());
    if (meta.uri() != null) {
      sourceInfo = sourceInfo.withUri(meta.uri());
    }
    if (meta.commit() != null) {
      sourceInfo = sourceInfo.withCommit(meta.commit());
    }
    if (meta.tree() != null) {
      sourceInfo = sourceInfo.withTree(meta.tree());
    }
    if (meta.path() != null) {
      sourceInfo = sourceInfo.withPath(meta.path());
    }
    if (meta.dirty() != null) {
      sourceInfo = sourceInfo.withDirty(meta.dirty());
    }
    if (meta.commit() != null) {
      // build() returned early unless the claim, when there is one, held for these very files.
      sourceInfo = sourceInfo.withCommitVerified(job.claim().isPresent());
    }
    var isolation = outcome.isolation();
    ProvenanceReport.Builder b =
        ProvenanceReport.builder()
            .buildJson(job.buildJson())
            .source(sourceInfo)
            .internalParameters(
                new InternalParameters(
                    area.sourceDir().toString(),
                    outcome.environment(),
                    new Isolation(
                        isolation.enforced(), isolation.mechanism() + ": " + isolation.detail()),
                    outcome.tools(),
                    config.enclaveRuntime()))
            .enclaveImage(EnclaveImage.fromPcrBytes(imagePcrs, config.registryId()))
            .builderId(
                config.inEnclave()
                    ? ProvenanceReport.BUILDER_NITRO
                    : ProvenanceReport.BUILDER_LOCAL)
            .builderVersion("teec-worker", config.version())
            .invocationId(invocationId())
            .startedOn(outcome.started())
            .finishedOn(outcome.finished())
            .buildLogSha256(outcome.log().sha256())
            .exitCode(outcome.exitCode());
    for (OutputFile out : outcome.outputs()) {
      b.subject(out.relativePath(), out.sha256(), out.executable());
    }
    for (NetworkRecord r : records) {
      // Only completed exchanges are dependencies; refused or failed ones delivered nothing.
      if (r.complete()) {
        b.networkResource(
            new NetworkResource(
                r.url(), r.method(), r.status(), r.size(), r.contentType(), r.sha256()));
      }
    }
    return b.build();
  }

  /**
   * With a verified commit the build definition must be the commit's too: otherwise a client could
   * pair an honest commit with a command that builds something else, and the report would name the
   * commit. Compared as build specifications, so formatting (a re-serialised build.json,
   * end-of-line conversion) does not matter.
   */
  private static void verifyCommittedBuildJson(Path sourceDir, BuildSpec sent) throws IOException {
    Path file = sourceDir.resolve("build.json");
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new SourceClaimException(
          SourceClaimException.BUILD_JSON,
          "the commit's directory has no build.json; commit the build definition with the source");
    }
    BuildSpec committed;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      committed = BuildSpec.parse(in);
    } catch (BuildSpecException e) {
      throw new SourceClaimException(
          SourceClaimException.BUILD_JSON,
          "the commit's build.json is not valid: " + e.getMessage());
    }
    if (!committed.equals(sent)) {
      throw new SourceClaimException(
          SourceClaimException.BUILD_JSON,
          "the build.json sent is not the commit's build.json; the build must run as the commit"
              + " defines it");
    }
  }

  /**
   * JVM tools (Maven, Gradle) take their home from the {@code user.home} property, which the JVM
   * reads from the password database, not from HOME; without this a local build would read the
   * worker user's own ~/.m2 instead of downloading through the proxy into the build area.
   */
  private static Map<String, String> withJvmUserHome(Map<String, String> env, Path home) {
    Map<String, String> out = new TreeMap<>(env);
    String userHome = "-Duser.home=" + home;
    out.merge("JAVA_TOOL_OPTIONS", userHome, (ours, add) -> ours + " " + add);
    return out;
  }

  private String invocationId() {
    byte[] random = new byte[16];
    config.random().nextBytes(random);
    return UUID.nameUUIDFromBytes(random).toString();
  }
}
