package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.formats.report.Dsse;
import dev.teec.formats.report.EnvelopeCurve;
import dev.teec.formats.report.EphemeralSigningKey;
import dev.teec.verifier.bundle.BundleForge;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teec bundle key}: the attested envelope key as PEM, only for a bundle that verifies. */
class BundleKeyCommandTest {
  @TempDir static Path tmp;
  private static BundleForge forge;
  private static BundleForge.Parts parts;

  @BeforeAll
  static void buildBundle() throws Exception {
    forge = BundleForge.create(tmp);
    parts = forge.read(forge.base);
  }

  static CliRun teec(BundleForge forge, String... args) {
    return CliRun.run(clock -> Teec.newCommandLine(clock, forge.env), Clock.systemUTC(), args);
  }

  /** The key a PEM {@code PUBLIC KEY} block holds. */
  static PublicKey readPem(String pem) throws Exception {
    String base64 =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    return KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  /** {@code report} in an envelope signed by a fresh key, not the attested one. */
  static byte[] signedByAnotherKey(byte[] report) throws Exception {
    return Dsse.sign(
            Dsse.IN_TOTO_PAYLOAD_TYPE, report, EphemeralSigningKey.generate(new SecureRandom()))
        .toJson();
  }

  @Test
  void key_verifiedBundle_printsTheKeyThatVerifiesItsEnvelope() throws Exception {
    CliRun run = teec(forge, "bundle", "key", "--simulated", "--any-image", forge.base.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(run.out()).endsWith("-----END PUBLIC KEY-----\n");
    PublicKey key = readPem(run.out());
    assertThat(EnvelopeCurve.of(key)).isEqualTo(EnvelopeCurve.P256);
    assertThat(Dsse.verify(parts.dsse(), Dsse.IN_TOTO_PAYLOAD_TYPE, key)).isEqualTo(parts.report());
    assertThat(run.err())
        .startsWith("VERIFIED  " + forge.base + "  (SIMULATED")
        .contains("the P-256 public_key of its verified attestation")
        .contains("not the attestation, image or source")
        .doesNotContain("cosign 2.x cannot");
  }

  @Test
  void key_simulatedBundleWithoutSimulated_isRejectedAndPrintsNoKey() {
    CliRun run = teec(forge, "bundle", "key", forge.base.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("REJECTED  " + forge.base)
        .contains("FAIL  bundle.attestation")
        .contains(
            "teec bundle key: no key printed: the key of a bundle that does not verify proves"
                + " nothing.\n")
        .endsWith(
            "Next: its attestation does not chain to the AWS Nitro root: if it was built in local"
                + " mode, check it with --simulated, which shows that it is consistent, not that an"
                + " enclave built it\n");
  }

  // The forger's own key would pass cosign: teec must not hand it out.
  @Test
  void key_envelopeSignedByAnotherKey_isRejectedAndPrintsNoKey() throws Exception {
    Path bundle =
        forge.write("forged-envelope.tar", parts.withDsse(signedByAnotherKey(parts.report())));
    CliRun run = teec(forge, "bundle", "key", "--simulated", "--any-image", bundle.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("FAIL  bundle.dsse").contains("no key printed");
  }

  @Test
  void key_olderP384Bundle_printsItsKeyAndSaysCosignCannotUseIt() throws Exception {
    EphemeralSigningKey legacy =
        EphemeralSigningKey.generate(EnvelopeCurve.P384, new SecureRandom());
    Path bundle =
        forge.write(
            "p384.tar",
            forge.resign(
                parts, forge.otherBuilder()::attest, legacy, legacy.publicKeyDer(), r -> r));
    CliRun run = teec(forge, "bundle", "key", "--simulated", "--any-image", bundle.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(readPem(run.out())).isEqualTo(legacy.publicKey());
    assertThat(run.err()).contains("the P-384 public_key").contains("cosign 2.x cannot verify");
  }

  @Test
  void key_noSuchFile_isAUsageError() {
    CliRun run = teec(forge, "bundle", "key", tmp.resolve("absent.tar").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("absent.tar: no such file");
  }
}
