package dev.teec.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.cli.CliSupport;
import dev.teec.cli.TeecVerify;
import dev.teec.enclave.nsm.AttestationRequest;
import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.enclave.nsm.WorkerIdentity;
import dev.teec.truststore.registry.ExtraRoot;
import dev.teec.truststore.registry.ImageEntry;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.truststore.registry.Recipe;
import dev.teec.truststore.registry.Registry;
import dev.teec.truststore.registry.RegistrySigner;
import dev.teec.verifier.Bytes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code teec-verify doc --registry}: a simulated-NSM document whose PCRs are (or are not) those of
 * a registry image, with the simulated root carried as the registry's on-request extra root.
 */
class VerifyDocRegistryTest {
  static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
  static final ECKey KEY = MaintainerKeys.generate("alice");

  @TempDir static Path dir;
  static Path doc;
  static Path keys;
  static Map<Integer, byte[]> pcrs;
  static Bytes rootDer;

  @BeforeAll
  static void document() throws Exception {
    SimulatedNsm nsm =
        SimulatedNsm.open(
            dir.resolve("home"),
            Clock.fixed(NOW, ZoneOffset.UTC),
            WorkerIdentity.of("t", "r", "c"));
    doc = Files.write(dir.resolve("doc.cbor"), nsm.attest(AttestationRequest.empty()));
    pcrs = nsm.pcrs();
    rootDer = Bytes.of(nsm.rootCertificate().getEncoded());
    keys = Files.writeString(dir.resolve("keys.jwks"), new JWKSet(KEY.toPublicJWK()).toString());
  }

  @Test
  void matchingImage_verifies_andReportsTheImage() throws Exception {
    Path reg = registry("ok.json", image("c-gcc-12", ImageStatus.active()));
    Run run =
        verify(
            NOW,
            "--json",
            "--registry",
            reg.toString(),
            "--registry-keys",
            keys.toString(),
            "--registry-extra-root",
            "teec-simulated-root",
            doc.toString());

    assertThat(run.exit).as(run.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(run.out);
    assertThat(report.get("verified").asBoolean()).isTrue();
    assertThat(report.get("image").get("id").asText()).isEqualTo("c-gcc-12");
    assertThat(report.get("image").get("pcrs").get("0").asText())
        .isEqualTo(Bytes.of(pcrs.get(0)).hex());
    JsonNode match = check(report, "image.match");
    assertThat(match.get("status").asText()).isEqualTo("PASS");
    assertThat(match.get("detail").asText()).contains("image c-gcc-12", "signed by alice");
    assertThat(match.get("spec").asText()).isEqualTo("spec/registry.md#R4");
    assertThat(check(report, "registry.signature").get("status").asText()).isEqualTo("PASS");

    Run human =
        verify(
            NOW,
            "--registry",
            reg.toString(),
            "--registry-keys",
            keys.toString(),
            "--registry-extra-root",
            "teec-simulated-root",
            doc.toString());
    assertThat(human.out).startsWith("VERIFIED  " + doc).contains("  PASS  image.match");
  }

  @Test
  void extraRoot_isHonouredOnlyWhenAskedFor() throws Exception {
    Path reg = registry("noroot.json", image("c-gcc-12", ImageStatus.active()));
    Run run =
        verify(
            NOW,
            "--json",
            "--registry",
            reg.toString(),
            "--registry-keys",
            keys.toString(),
            doc.toString());
    assertThat(run.exit).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(run.out);
    assertThat(texts(report.get("failures"))).contains("chain.root_pinned");
    assertThat(check(report, "image.match").get("status").asText()).isEqualTo("SKIP");
    assertThat(report.get("image").isNull()).isTrue();
  }

  @Test
  void unknownPcrs_areRejected() throws Exception {
    ImageEntry other =
        new ImageEntry(
            "other",
            "c",
            new TreeMap<>(Map.of("gcc", "12")),
            "d",
            new Recipe("u", "0123456789abcdef0123456789abcdef01234567"),
            new TreeMap<>(
                Map.of(
                    0,
                    Bytes.of(new byte[48]),
                    1,
                    Bytes.of(new byte[48]),
                    2,
                    Bytes.of(new byte[48]))),
            NOW.minusSeconds(86400),
            Optional.empty(),
            ImageStatus.active());
    JsonNode report = rejected(registry("unknown.json", other), NOW);
    assertThat(texts(report.get("failures"))).containsExactly("image.match");
    assertThat(check(report, "image.match").get("detail").asText()).startsWith("unknown PCRs");
  }

  @Test
  void revokedImage_isRejectedWithTheReason() throws Exception {
    JsonNode report =
        rejected(
            registry(
                "revoked.json",
                image("c-gcc-12", ImageStatus.revoked("gcc backdoor", NOW.minusSeconds(60)))),
            NOW);
    assertThat(check(report, "image.match").get("detail").asText())
        .contains("revoked", "gcc backdoor");
    assertThat(report.get("image").isNull()).isTrue();
  }

  @Test
  void expiredRegistry_isRejected() throws Exception {
    Path reg = registry("expired.json", image("c-gcc-12", ImageStatus.active()));
    // Judge the document's chain at its own time; the registry's expiry is judged now, a year on.
    Run run =
        verify(
            NOW.plusSeconds(400L * 86400),
            "--json",
            "--at",
            "document",
            "--registry",
            reg.toString(),
            "--registry-keys",
            keys.toString(),
            "--registry-extra-root",
            "teec-simulated-root",
            doc.toString());
    assertThat(run.exit).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(run.out);
    // The roots of a registry that does not verify are not trusted either.
    assertThat(texts(report.get("failures")))
        .containsExactly("chain.root_pinned", "registry.validity");

    run =
        verify(
            NOW.plusSeconds(400L * 86400),
            "--json",
            "--at",
            "document",
            "--root",
            pem().toString(),
            "--registry",
            reg.toString(),
            "--registry-keys",
            keys.toString(),
            doc.toString());
    report = new ObjectMapper().readTree(run.out);
    assertThat(texts(report.get("failures"))).containsExactly("registry.validity");
    assertThat(check(report, "image.match").get("detail").asText())
        .contains("registry did not verify");
  }

  @Test
  void wrongKeys_rejectTheRegistry_andItsRootIsNotTrusted() throws Exception {
    Path reg = registry("ok2.json", image("c-gcc-12", ImageStatus.active()));
    Path otherKeys =
        Files.writeString(
            dir.resolve("other.jwks"),
            new JWKSet(MaintainerKeys.generate("alice").toPublicJWK()).toString());
    Run run =
        verify(
            NOW,
            "--json",
            "--registry",
            reg.toString(),
            "--registry-keys",
            otherKeys.toString(),
            "--registry-extra-root",
            "teec-simulated-root",
            doc.toString());
    JsonNode report = new ObjectMapper().readTree(run.out);
    assertThat(run.exit).isEqualTo(1);
    assertThat(texts(report.get("failures"))).contains("registry.signature", "chain.root_pinned");
  }

  @Test
  void usageErrors() throws Exception {
    Path reg = registry("u.json", image("c-gcc-12", ImageStatus.active()));
    Run noKeys = verify(NOW, "--registry", reg.toString(), doc.toString());
    assertThat(noKeys.exit).isEqualTo(CliSupport.USAGE);
    assertThat(noKeys.err).contains("--registry needs --registry-keys");
    Run keysAlone = verify(NOW, "--registry-keys", keys.toString(), doc.toString());
    assertThat(keysAlone.err).contains("need --registry FILE");
    Run noRoot =
        verify(
            NOW,
            "--registry",
            reg.toString(),
            "--registry-keys",
            keys.toString(),
            "--registry-extra-root",
            "nope",
            doc.toString());
    assertThat(noRoot.err)
        .contains("--registry-extra-root nope: the registry has no extra root with this id");
    Run badThreshold =
        verify(
            NOW,
            "--registry",
            reg.toString(),
            "--registry-keys",
            keys.toString(),
            "--registry-threshold",
            "2",
            doc.toString());
    assertThat(badThreshold.exit).isEqualTo(CliSupport.USAGE);
    assertThat(badThreshold.err).contains("threshold must be between 1 and the 1");
  }

  @Test
  void withoutRegistry_theReportHasNoImageField() throws Exception {
    Run run = verify(NOW, "--json", "--root", pem().toString(), doc.toString());
    assertThat(run.exit).as(run.toString()).isZero();
    assertThat(new ObjectMapper().readTree(run.out).has("image")).isFalse();
  }

  private static JsonNode rejected(Path reg, Instant now) throws Exception {
    Run run =
        verify(
            now,
            "--json",
            "--registry",
            reg.toString(),
            "--registry-keys",
            keys.toString(),
            "--registry-extra-root",
            "teec-simulated-root",
            doc.toString());
    assertThat(run.exit).as(run.toString()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(run.out);
    assertThat(report.get("verified").asBoolean()).isFalse();
    return report;
  }

  @Test
  void olderRegistryAfterANewer_isARollback_unlessAllowed() throws Exception {
    ECKey maintainer = MaintainerKeys.generate("rollback-test");
    Path pinned =
        Files.writeString(
            dir.resolve("rollback.jwks"), new JWKSet(maintainer.toPublicJWK()).toString());
    Path newer = registry("v4.json", 4, image("c-gcc-12", ImageStatus.active()), maintainer);
    Path older = registry("v3.json", 3, image("c-gcc-12", ImageStatus.active()), maintainer);
    String[] common = {
      "--registry-keys", pinned.toString(), "--registry-extra-root", "teec-simulated-root"
    };
    Run first = verify(NOW, concat(common, "--registry", newer.toString(), doc.toString()));
    assertThat(first.exit).as(first.toString()).isZero();
    try (var versions =
        Files.list(dir.resolve("home").resolve(RegistryOptions.VERSION_DIRECTORY))) {
      assertThat(versions.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.endsWith(".version"));
    }

    Run replayed =
        verify(NOW, concat(common, "--json", "--registry", older.toString(), doc.toString()));
    assertThat(replayed.exit).as(replayed.toString()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(replayed.out);
    assertThat(check(report, "registry.version").get("status").asText()).isEqualTo("FAIL");
    assertThat(check(report, "registry.version").get("detail").asText())
        .startsWith("rollback: version 3 is below version 4 verified before for this key set");

    Run allowed =
        verify(
            NOW,
            concat(
                common,
                "--registry-allow-rollback",
                "--registry",
                older.toString(),
                doc.toString()));
    assertThat(allowed.exit).as(allowed.toString()).isZero();
    assertThat(allowed.out).contains("WARN  registry.version", "ROLLBACK ALLOWED: version 3");
  }

  @Test
  void pinnedKeysListingOneKeyTwice_isAUsageError() throws Exception {
    JWKSet twice =
        new JWKSet(
            List.<com.nimbusds.jose.jwk.JWK>of(
                KEY.toPublicJWK(), new ECKey.Builder(KEY.toPublicJWK()).keyID("alice2").build()));
    Path pinned = Files.writeString(dir.resolve("twice.jwks"), twice.toString());
    Path reg = registry("twice.json", image("c-gcc-12", ImageStatus.active()));
    Run run =
        verify(
            NOW,
            "--registry",
            reg.toString(),
            "--registry-keys",
            pinned.toString(),
            "--registry-threshold",
            "2",
            doc.toString());
    assertThat(run.exit).as(run.toString()).isEqualTo(2);
    assertThat(run.err).contains("$.keys[1]", "the same key as 'alice'");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static ImageEntry image(String id, ImageStatus status) {
    return new ImageEntry(
        id,
        "c",
        new TreeMap<>(Map.of("gcc", "12.2.0")),
        "C builder",
        new Recipe("https://example.org/images", "0123456789abcdef0123456789abcdef01234567"),
        new TreeMap<>(
            Map.of(0, Bytes.of(pcrs.get(0)), 1, Bytes.of(pcrs.get(1)), 2, Bytes.of(pcrs.get(2)))),
        NOW.minusSeconds(86400),
        Optional.empty(),
        status);
  }

  private static Path registry(String name, ImageEntry image) throws Exception {
    return registry(name, 3, image, KEY);
  }

  private static Path registry(String name, long version, ImageEntry image, ECKey signer)
      throws Exception {
    Registry r =
        new Registry(
            version,
            NOW.minusSeconds(3600),
            NOW.plusSeconds(365L * 86400),
            List.of(image),
            List.of(
                new ExtraRoot(
                    "teec-simulated-root", "simulated NSM root, local development only", rootDer)));
    return Files.writeString(dir.resolve(name), RegistrySigner.sign(r, signer));
  }

  private static Path pem() throws Exception {
    return Files.writeString(
        dir.resolve("root.pem"), dev.teec.truststore.registry.RegistryJson.pem(rootDer));
  }

  private static JsonNode check(JsonNode report, String id) {
    for (JsonNode c : report.get("checks")) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no check " + id + " in " + report);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static Run verify(Instant now, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "doc";
    System.arraycopy(args, 0, full, 1, args.length);
    CommandLine cmd =
        TeecVerify.newCommandLine(
            Clock.fixed(now, ZoneOffset.UTC), Map.of("TEEC_HOME", dir.resolve("home").toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Run(cmd.execute(full), out.toString(), err.toString());
  }

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
