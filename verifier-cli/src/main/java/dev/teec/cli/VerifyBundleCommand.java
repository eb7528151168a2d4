package dev.teec.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.teec.enclave.bundle.BundleFormatException;
import dev.teec.enclave.bundle.BundleLimits;
import dev.teec.enclave.bundle.BundleReader;
import dev.teec.enclave.bundle.ReadBundle;
import dev.teec.enclave.nsm.TeecHome;
import dev.teec.enclave.report.Dsse;
import dev.teec.enclave.report.EcP384;
import dev.teec.enclave.report.ProvenanceReport;
import dev.teec.verifier.AttestationDocument;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Bytes;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.TrustAnchors;
import dev.teec.verifier.VerificationOptions;
import dev.teec.verifier.VerificationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code teec-verify bundle BUNDLE...}: verifies build bundles (SPEC.md W6, B1). Each bundle passes
 * only if its tar is well-formed and safe, the report, DSSE envelope, build log and artifacts agree,
 * the attestation verifies (every {@code doc} check, with the options given) with
 * {@code user_data = SHA-384(teec/report.json)}, and the DSSE envelope verifies with the attested
 * {@code public_key}.
 *
 * <h2>JSON output</h2>
 * One object per bundle and line: {@code input}, {@code verified}, {@code simulated} (attested under
 * the local simulated root), {@code failures} (failed bundle check ids), {@code checks} (bundle
 * checks: {@code id}, {@code status}, {@code detail}), {@code attestation} (the {@code doc} JSON of
 * {@code teec/attestation.cbor}, or null when the tar could not be read) and {@code subjects}
 * (artifact name to SHA-256 from the report, or null).
 */
@Command(
    name = "bundle",
    description = {
      "Verify build bundles: the attestation, its binding to the report, the DSSE signature,"
          + " and every artifact's digest."
    },
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    abbreviateSynopsis = true,
    sortOptions = false,
    exitCodeListHeading = CliSupport.EXIT_HEADING,
    exitCodeList = {
      CliSupport.EXIT_OK, CliSupport.EXIT_REJECTED, CliSupport.EXIT_USAGE, CliSupport.EXIT_INTERNAL
    })
public final class VerifyBundleCommand implements Callable<Integer> {
  private static final int ID_WIDTH = 24;

  private final Clock clock;
  private final Map<String, String> environment;
  private final ObjectMapper json = JsonMapper.builder().build();

  @Spec private CommandSpec spec;

  @Mixin private VerificationMixin verification;

  @Mixin private OutputMixin output;

  @Option(
      names = "--simulated",
      description = {
        "Also trust the local simulated NSM's root ($TEEC_HOME/simulated-nsm/root.pem, default"
            + " ~/.teec); such bundles verify with a SIMULATED warning."
      })
  private boolean simulated;

  @Option(
      names = "--artifact",
      paramLabel = "NAME=PATH",
      description = "Check that the file at PATH has the digest the report records for NAME. Repeatable.")
  private Map<String, Path> artifacts = new LinkedHashMap<>();

  @Parameters(arity = "1..*", paramLabel = "BUNDLE", description = "Bundles (tar) to verify.")
  private List<Path> bundles;

  /**
   * @param clock the source of "now"
   * @param environment where TEEC_HOME is looked up (tests pass their own)
   */
  public VerifyBundleCommand(Clock clock, Map<String, String> environment) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.environment = Map.copyOf(environment);
  }

  /** One bundle-level check. */
  record BundleCheck(String id, CheckStatus status, String detail) {}

  /** The JSON object for one bundle. */
  record BundleJson(
      String input,
      boolean verified,
      boolean simulated,
      List<String> failures,
      List<BundleCheck> checks,
      @JsonInclude(JsonInclude.Include.ALWAYS) JsonReport attestation,
      @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, String> subjects) {}

  @Override
  public Integer call() throws IOException {
    VerificationOptions options = verification.options();
    if (options.policy().expectedUserData().isPresent()) {
      throw new ParameterException(spec.commandLine(),
          "--expect-user-data does not apply to bundles: their user_data must be the report's SHA-384");
    }
    for (Path b : bundles) {
      if (!Files.isRegularFile(b)) {
        throw new ParameterException(spec.commandLine(), b + ": no such file");
      }
    }
    artifacts.forEach((name, path) -> {
      if (!Files.isRegularFile(path)) {
        throw new ParameterException(spec.commandLine(), "--artifact " + name + "=" + path + ": no such file");
      }
    });
    X509Certificate simulatedRoot = simulated ? simulatedRoot() : null;
    AttestationVerifier verifier =
        verification.verifier(clock, simulatedRoot == null ? List.of() : List.of(simulatedRoot));
    PrintWriter out = spec.commandLine().getOut();
    boolean all = true;
    for (Path bundle : bundles) {
      BundleJson result = verify(bundle, verifier, options, simulatedRoot);
      all &= result.verified();
      if (output.json) {
        out.println(json.writeValueAsString(result));
      } else {
        print(out, result);
      }
      out.flush();
    }
    return all ? CliSupport.OK : CliSupport.REJECTED;
  }

  private BundleJson verify(Path bundle, AttestationVerifier verifier, VerificationOptions options,
      X509Certificate simulatedRoot) throws IOException {
    List<BundleCheck> checks = new ArrayList<>();
    Path extract = Files.createTempDirectory("teec-bundle-");
    try {
      ReadBundle read;
      try {
        read = new BundleReader(BundleLimits.defaults()).read(bundle, extract);
        checks.add(pass("bundle.structure", "a well-formed bundle: " + read.artifacts().size() + " artifact(s)"));
      } catch (BundleFormatException e) {
        checks.add(fail("bundle.structure", e.getMessage()));
        return result(bundle, checks, null, null, false);
      }
      ProvenanceReport report = null;
      try {
        report = read.checkConsistency();
        checks.add(pass("bundle.report", "the report, its DSSE payload, the build log and the artifacts agree"));
      } catch (BundleFormatException e) {
        checks.add(fail("bundle.report", e.getMessage()));
      }

      byte[] reportBytes = read.reportJson();
      VerificationOptions.Builder bound = VerificationOptions.builder()
          .time(options.time())
          .policy(options.policy().toBuilder()
              .expectUserData(Bytes.of(TempFiles.digest("SHA-384", reportBytes))).build());
      options.maxAge().ifPresent(bound::maxAge);
      options.maxFutureSkew().ifPresent(bound::maxFutureSkew);
      VerificationResult attestation = verifier.verify(read.attestationCbor(), bound.build());
      List<String> attestationFailures = attestation.failures().stream()
          .filter(id -> id != CheckId.POLICY_USER_DATA).map(CheckId::id).toList();
      checks.add(attestationFailures.isEmpty()
          ? pass("bundle.attestation", "teec/attestation.cbor verifies (" + attestation.timeMode().name()
              .toLowerCase(Locale.ROOT) + " time)")
          : fail("bundle.attestation", "teec/attestation.cbor is rejected: " + String.join(", ", attestationFailures)));
      checks.add(attestation.check(CheckId.POLICY_USER_DATA).status() == CheckStatus.PASS
          ? pass("bundle.binding", "the attestation's user_data is SHA-384 of teec/report.json")
          : fail("bundle.binding", "the attestation's user_data is not SHA-384 of teec/report.json: "
              + attestation.check(CheckId.POLICY_USER_DATA).detail()));
      checks.add(dsse(read, attestation));
      for (Map.Entry<String, Path> a : artifacts.entrySet()) {
        checks.add(artifact(a.getKey(), a.getValue(), report));
      }
      boolean isSimulated = simulatedRoot != null && attestation.certificates().stream()
          .anyMatch(c -> c.role().equals("root") && c.sha256().equals(fingerprint(simulatedRoot)));
      if (isSimulated) {
        checks.add(new BundleCheck("bundle.simulated", CheckStatus.WARN,
            "SIMULATED: attested by the local simulated NSM, not by AWS Nitro hardware"));
      }
      Map<String, String> subjects = report == null ? null : subjects(report);
      return result(bundle, checks, JsonReport.of(
          new DocumentInput(bundle + "!teec/attestation.cbor", DocumentInput.Encoding.RAW,
              Bytes.of(read.attestationCbor())), attestation), subjects, isSimulated);
    } finally {
      TempFiles.deleteTree(extract);
    }
  }

  private static BundleCheck dsse(ReadBundle read, VerificationResult attestation) {
    var key = attestation.document().flatMap(AttestationDocument::publicKey);
    if (key.isEmpty()) {
      return fail("bundle.dsse", "the attestation carries no public_key to check teec/report.dsse.json with");
    }
    try {
      byte[] payload = Dsse.verify(read.reportDsseJson(), Dsse.IN_TOTO_PAYLOAD_TYPE,
          EcP384.decodePublicKey(key.get().toByteArray()));
      return MessageDigest.isEqual(payload, read.reportJson())
          ? pass("bundle.dsse", "teec/report.dsse.json verifies with the attested public_key and carries the report")
          : fail("bundle.dsse", "teec/report.dsse.json verifies but carries a different report");
    } catch (GeneralSecurityException | RuntimeException e) {
      return fail("bundle.dsse", "teec/report.dsse.json does not verify with the attested public_key: "
          + e.getMessage());
    }
  }

  private static BundleCheck artifact(String name, Path file, ProvenanceReport report) throws IOException {
    String id = "bundle.artifact:" + name;
    if (report == null) {
      return new BundleCheck(id, CheckStatus.SKIP, "not checked: the report is not valid");
    }
    String expected = subjects(report).get(name);
    if (expected == null) {
      return fail(id, "the report has no subject named " + name);
    }
    String actual;
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      actual = HexFormat.of().formatHex(md.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    return expected.equals(actual)
        ? pass(id, file + " has the SHA-256 the report records for " + name)
        : fail(id, file + " has SHA-256 " + actual + ", the report records " + expected + " for " + name);
  }

  private X509Certificate simulatedRoot() {
    Path home;
    try {
      home = TeecHome.resolve(environment, System.getProperty("user.home"));
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "--simulated: " + e.getMessage());
    }
    Path pem = home.resolve("simulated-nsm").resolve("root.pem");
    try (InputStream in = Files.newInputStream(pem)) {
      return TrustAnchors.readPem(in).get(0);
    } catch (IOException | CertificateException e) {
      throw new ParameterException(spec.commandLine(), "--simulated: no usable simulated root at " + pem
          + " (it is created by the first local build): " + e.getMessage());
    }
  }

  private void print(PrintWriter out, BundleJson r) {
    List<String> failed = r.failures();
    out.println((r.verified() ? "VERIFIED  " : "REJECTED  ") + r.input()
        + (failed.isEmpty() ? (r.simulated() ? "  (SIMULATED)" : "")
            : "  (" + failed.size() + " check" + (failed.size() == 1 ? "" : "s") + " failed: "
                + String.join(", ", failed) + ")"));
    if (output.quiet) {
      return;
    }
    for (BundleCheck c : r.checks()) {
      out.println(String.format(Locale.ROOT, "  %-4s  %-" + ID_WIDTH + "s  %s", c.status(), c.id(),
          HumanReport.safe(c.detail())));
    }
    if (r.attestation() != null) {
      for (var c : r.attestation().checks()) {
        if (c.status().equals("FAIL")) {
          out.println("        attestation " + c.id() + ": " + HumanReport.safe(c.detail()));
        }
      }
    }
  }

  private static BundleJson result(Path bundle, List<BundleCheck> checks, JsonReport attestation,
      Map<String, String> subjects, boolean isSimulated) {
    List<String> failures = checks.stream().filter(c -> c.status() == CheckStatus.FAIL).map(BundleCheck::id).toList();
    return new BundleJson(bundle.toString(), failures.isEmpty(), isSimulated, failures, checks, attestation, subjects);
  }

  private static Map<String, String> subjects(ProvenanceReport report) {
    Map<String, String> out = new LinkedHashMap<>();
    report.subjects().forEach(s -> out.put(s.name(), s.sha256()));
    return out;
  }

  private static BundleCheck pass(String id, String detail) {
    return new BundleCheck(id, CheckStatus.PASS, detail);
  }

  private static BundleCheck fail(String id, String detail) {
    return new BundleCheck(id, CheckStatus.FAIL, detail);
  }

  private static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(TempFiles.digest("SHA-256", cert.getEncoded()));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate can be encoded", e);
    }
  }
}
