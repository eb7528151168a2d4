package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.enclave.nsm.AttestationRequest;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.verifier.bundle.BundleForge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first-run help and the {@code Next:} line that closes every rejection of {@code teec verify}:
 * one remedy per kind of failure, and none after a plain success.
 */
class NextStepsTest {
  @TempDir static Path tmp;
  private static BundleForge forge;
  private static BundleForge.Parts parts;
  private static Path doc;
  private static Path root;

  @BeforeAll
  static void inputs() throws Exception {
    forge = BundleForge.create(tmp.resolve("bundles"));
    parts = forge.read(forge.base);
    SimulatedNsm nsm =
        SimulatedNsm.open(tmp.resolve("nsm"), CliRun.CLOCK, WorkerIdentity.of("t", "r", "c"));
    doc = Files.write(tmp.resolve("doc.cbor"), nsm.attest(AttestationRequest.empty()));
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder().encodeToString(nsm.rootCertificate().getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    root = Files.writeString(tmp.resolve("root.pem"), pem);
  }

  @Test
  void help_listsTheThreeTasks_withOneExampleEach() {
    CliRun run = CliRun.teec("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains(
            String.join(
                System.lineSeparator(),
                "Three tasks, one example each:",
                "  build      build a project as its build.json says, write the attested bundle",
                "    $ teec build ./my-project --out app.tar",
                "  verify     check a bundle offline: what was built, from what, in which image",
                "    $ teec verify bundle --registry reg.json --registry-keys keys.jwks app.tar",
                "  challenge  rebuild a bundle from its source and compare every artifact",
                "    $ teec challenge reproduce app.tar --source ./my-project",
                "",
                "New here? 'teec demo' builds and verifies a sample locally.",
                "Each command has --help; every rejection ends with a 'Next:' line."));
  }

  @Test
  void mistypedCommand_suggestsTheNearest_andPointsAtHelp() {
    CliRun top = CliRun.teec("verfy");
    assertThat(top.exitCode()).isEqualTo(2);
    assertThat(top.err()).contains("Did you mean: teec verify?");
    assertThat(lastLine(top)).isEqualTo("Next: see 'teec --help'");
    CliRun nested = CliRun.teec("verify", "bundel");
    assertThat(nested.exitCode()).isEqualTo(2);
    assertThat(nested.err()).contains("Did you mean: verify bundle?");
    assertThat(lastLine(nested)).isEqualTo("Next: see 'teec verify --help'");
  }

  @Test
  void bundle_localWithoutSimulated_pointsAtSimulated() {
    CliRun run = bundle(forge.base);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(lastLine(run))
        .isEqualTo(
            "Next: its attestation does not chain to the AWS Nitro root: if it was built in local"
                + " mode, check it with --simulated, which shows that it is consistent, not that an"
                + " enclave built it");
  }

  @Test
  void bundle_tamperedArtifact_saysNotToUseTheFiles() throws Exception {
    byte[] hello = parts.artifacts().get("hello").clone();
    hello[200] ^= 1;
    CliRun run =
        bundle(forge.write("tampered.tar", parts.withArtifact("hello", hello)), "--simulated");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(lastLine(run))
        .isEqualTo(
            "Next: do not use these files: they are not the ones the report says were built");
  }

  @Test
  void bundle_swappedAttestation_saysToGetItAgain() throws Exception {
    BundleForge.Parts other = forge.resign(parts, forge.otherBuilder(), r -> r);
    Path swapped = forge.write("swapped.tar", parts.withAttestation(other.attestation()));
    CliRun run = bundle(swapped, "--simulated");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(lastLine(run))
        .isEqualTo(
            "Next: do not use it: the bundle is not what its builder wrote; get it again from the"
                + " builder");
  }

  @Test
  void bundle_otherNonce_saysWhatToCompare() {
    CliRun run =
        bundle(forge.base, "--simulated", "--any-image", "--expect-nonce", "01".repeat(16));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(lastLine(run))
        .startsWith("Next: it is a genuine bundle but not the one expected: compare");
  }

  @Test
  void bundle_unidentifiedImage_saysHowToNameIt() {
    CliRun run = bundle(forge.base, "--simulated");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(lastLine(run))
        .isEqualTo(
            "Next: say which enclave image you trust: --registry FILE --registry-keys JWKS or"
                + " --expect-pcr 0=HEX; --any-image accepts any image, with a warning");
  }

  @Test
  void bundle_verified_endsWithoutANextLine() {
    CliRun run = bundle(forge.base, "--simulated", "--any-image");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void doc_simulatedWithoutRoot_pointsAtTheSimulatedRoot() {
    CliRun run = CliRun.teec("verify", "doc", doc.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(lastLine(run))
        .isEqualTo(
            "Next: it does not chain to the AWS Nitro root; a document of teec's simulated NSM"
                + " verifies with --root $TEEC_HOME/simulated-nsm/root.pem");
  }

  @Test
  void doc_expired_pointsAtDocumentTime() {
    Clock later = Clock.fixed(CliRun.NOW.plus(Duration.ofDays(30)), ZoneOffset.UTC);
    CliRun run =
        CliRun.run(
            Teec::newCommandLine,
            later,
            "verify",
            "doc",
            "--root",
            root.toString(),
            doc.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(lastLine(run))
        .isEqualTo(
            "Next: to audit an older document, check it as of its own signing time with --at"
                + " document");
  }

  @Test
  void doc_otherPcr_saysWhatToCompare() {
    CliRun run =
        CliRun.teec(
            "verify",
            "doc",
            "--root",
            root.toString(),
            "--expect-pcr",
            "0=" + "00".repeat(48),
            doc.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(lastLine(run))
        .isEqualTo(
            "Next: it is a genuine document but not the one expected: compare --expect-*, --policy"
                + " and --allow-debug with its values above");
  }

  @Test
  void doc_severalRejected_theFirstInInputOrderDecides_whateverTheJobs() throws Exception {
    Path garbage = Files.write(tmp.resolve("garbage.cbor"), new byte[] {1, 2, 3});
    for (String jobs : new String[] {"1", "4"}) {
      CliRun garbageFirst =
          CliRun.teec("verify", "doc", "--jobs", jobs, garbage.toString(), doc.toString());
      assertThat(garbageFirst.exitCode()).isEqualTo(1);
      assertThat(lastLine(garbageFirst)).startsWith("Next: it is not a well-formed Nitro");
      CliRun docFirst =
          CliRun.teec("verify", "doc", "--jobs", jobs, doc.toString(), garbage.toString());
      assertThat(lastLine(docFirst)).startsWith("Next: it does not chain to the AWS Nitro root");
      assertThat(docFirst.err().lines().filter(l -> l.startsWith("Next: "))).hasSize(1);
    }
  }

  @Test
  void doc_verified_endsWithoutANextLine() {
    CliRun run = CliRun.teec("verify", "doc", "--root", root.toString(), doc.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
  }

  private static CliRun bundle(Path bundle, String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "verify";
    args[1] = "bundle";
    System.arraycopy(options, 0, args, 2, options.length);
    args[args.length - 1] = bundle.toString();
    return CliRun.run(clock -> Teec.newCommandLine(clock, forge.env), Clock.systemUTC(), args);
  }

  static String lastLine(CliRun run) {
    return run.err().lines().reduce((a, b) -> b).orElse("(no stderr)");
  }
}
