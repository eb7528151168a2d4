package dev.teec.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teec.cli.CliSupport;
import dev.teec.cli.Teec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code teec registry ...} and {@code teec image ...} end to end on files. */
class RegistryCommandTest {
  static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
  static final String PCR_A = "a".repeat(96);
  static final String PCR_B = "b".repeat(96);
  static final String PCR_C = "c".repeat(96);
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path dir;

  @Test
  void keygen_writesAPrivateKeyOwnerOnly_andAppendsToThePublicSet() throws Exception {
    Path alice = dir.resolve("alice.jwk");
    Path set = dir.resolve("maintainers.jwks.json");
    Run run =
        teec(
            NOW,
            "registry",
            "keygen",
            "--kid",
            "alice",
            "--private",
            alice.toString(),
            "--public-set",
            set.toString());
    assertThat(run.exit).as(run.toString()).isZero();
    assertThat(Files.getPosixFilePermissions(alice))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JsonNode priv = new ObjectMapper().readTree(alice.toFile());
    assertThat(priv.get("d")).isNotNull();
    assertThat(priv.get("kid").asText()).isEqualTo("alice");

    assertThat(
            teec(
                    NOW,
                    "registry",
                    "keygen",
                    "--kid",
                    "bob",
                    "--private",
                    dir.resolve("bob.jwk").toString(),
                    "--public-set",
                    set.toString())
                .exit)
        .isZero();
    JsonNode keys = new ObjectMapper().readTree(set.toFile()).get("keys");
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0).get("d")).isNull();
    assertThat(keys.get(1).get("kid").asText()).isEqualTo("bob");

    Run again = teec(NOW, "registry", "keygen", "--kid", "carol", "--private", alice.toString());
    assertThat(again.exit).isEqualTo(CliSupport.USAGE);
    assertThat(again.err).contains("exists; refusing to overwrite a key");
    Run dupKid =
        teec(
            NOW,
            "registry",
            "keygen",
            "--kid",
            "bob",
            "--private",
            dir.resolve("b2.jwk").toString(),
            "--public-set",
            set.toString());
    assertThat(dupKid.err).contains("already has a key 'bob'");
    assertThat(dir.resolve("b2.jwk")).doesNotExist();
  }

  @Test
  void lifecycle_init_addImage_sign_verify_kOfN_revoke() throws Exception {
    Path set = dir.resolve("keys.jwks");
    for (String kid : List.of("alice", "bob", "carol")) {
      teec(
          NOW,
          "registry",
          "keygen",
          "--kid",
          kid,
          "--private",
          dir.resolve(kid + ".jwk").toString(),
          "--public-set",
          set.toString());
    }
    String reg = dir.resolve("registry.json").toString();
    assertThat(teec(NOW, "registry", "init", reg).exit).isZero();
    assertThat(teec(NOW, "registry", "init", reg).err).contains("exists; refusing to overwrite");
    for (String[] language :
        new String[][] {
          {"java", "an alias of maven; images name the language itself"},
          {"Rust", "unknown language \"Rust\"; did you mean \"rust\"?"}
        }) {
      Run refused =
          teec(
              NOW,
              "registry",
              "add-image",
              reg,
              "--id",
              "x",
              "--language",
              language[0],
              "--tool",
              "a=1",
              "--description",
              "d",
              "--recipe-uri",
              "https://example.org/images",
              "--recipe-commit",
              COMMIT,
              "--pcr",
              "0=" + PCR_A,
              "--pcr",
              "1=" + PCR_B,
              "--pcr",
              "2=" + PCR_A);
      assertThat(refused.exit).as(refused.toString()).isEqualTo(2);
      assertThat(refused.err).contains("--language " + language[0] + ": " + language[1]);
    }
    Run add =
        teec(
            NOW,
            "registry",
            "add-image",
            reg,
            "--id",
            "rust-1.83-cargo",
            "--language",
            "rust",
            "--tool",
            "rust=1.83.0",
            "--tool",
            "cargo=1.83.0",
            "--description",
            "Rust builder",
            "--recipe-uri",
            "https://example.org/images",
            "--recipe-commit",
            COMMIT,
            "--pcr",
            "0=" + PCR_A,
            "--pcr",
            "1=" + PCR_B,
            "--pcr",
            "2=" + PCR_C);
    assertThat(add.exit).as(add.toString()).isZero();
    assertThat(add.out).contains("added image rust-1.83-cargo; wrote version 2");

    Run unsigned = teec(NOW, "registry", "verify", reg, "--keys", set.toString());
    assertThat(unsigned.exit).isEqualTo(1);
    assertThat(unsigned.out).contains("FAIL  registry.signature  unsigned");

    assertThat(
            teec(NOW, "registry", "sign", reg, "--key", dir.resolve("alice.jwk").toString()).exit)
        .isZero();
    Run one = teec(NOW, "registry", "verify", reg, "--keys", set.toString(), "--json");
    assertThat(one.exit).as(one.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(one.out);
    assertThat(report.get("verified").asBoolean()).isTrue();
    assertThat(report.get("signers").get(0).asText()).isEqualTo("alice");
    assertThat(report.get("registry").get("version").asLong()).isEqualTo(2);

    Run twoNeeded =
        teec(NOW, "registry", "verify", reg, "--keys", set.toString(), "--threshold", "2");
    assertThat(twoNeeded.exit).isEqualTo(1);
    assertThat(twoNeeded.out)
        .startsWith("REJECTED  " + reg + "  (1 check failed: registry.signature)");
    assertThat(twoNeeded.err).startsWith("Next: do not use this registry: check --keys");

    assertThat(
            teec(NOW, "registry", "sign", reg, "--key", dir.resolve("carol.jwk").toString()).exit)
        .isZero();
    assertThat(
            teec(NOW, "registry", "verify", reg, "--keys", set.toString(), "--threshold", "2").exit)
        .isZero();
    assertThat(teec(NOW, "registry", "sign", reg, "--key", dir.resolve("carol.jwk").toString()).err)
        .contains("'carol' has already signed");

    Run rollback =
        teec(NOW, "registry", "verify", reg, "--keys", set.toString(), "--min-version", "3");
    assertThat(rollback.exit).isEqualTo(1);
    assertThat(rollback.out)
        .contains("FAIL  registry.version", "rollback: version 2 is below the minimum 3");

    Run expired =
        teec(
            Instant.parse("2027-12-01T00:00:00Z"),
            "registry",
            "verify",
            reg,
            "--keys",
            set.toString());
    assertThat(expired.out).contains("FAIL  registry.validity", "expired at 2027-11-25T00:00:00Z");

    Run list = teec(NOW, "registry", "list", reg, "--keys", set.toString(), "--json");
    assertThat(list.exit).isZero();
    JsonNode listed = new ObjectMapper().readTree(list.out);
    assertThat(listed.get("verified").asBoolean()).isTrue();
    assertThat(listed.get("images").get(0).get("id").asText()).isEqualTo("rust-1.83-cargo");
    Run show = teec(NOW, "registry", "show", reg, "--id", "rust-1.83-cargo", "--json");
    JsonNode shown = new ObjectMapper().readTree(show.out);
    assertThat(shown.get("pcrs").get("0").asText()).isEqualTo(PCR_A);
    assertThat(shown.get("toolchain").get("cargo").asText()).isEqualTo("1.83.0");
    assertThat(teec(NOW, "registry", "list", reg).out)
        .contains("(signatures not verified: pass --keys to verify)");

    Run find =
        teec(
            NOW,
            "registry",
            "find",
            reg,
            "--keys",
            set.toString(),
            "--threshold",
            "2",
            "--language",
            "rust",
            "--tool",
            "cargo=1.83.0");
    assertThat(find.exit).as(find.toString()).isZero();
    assertThat(find.out).startsWith("rust-1.83-cargo  (rust cargo 1.83.0, rust 1.83.0)");
    assertThat(
            teec(
                    NOW,
                    "registry",
                    "find",
                    reg,
                    "--keys",
                    set.toString(),
                    "--language",
                    "rust",
                    "--toolchain",
                    "1.83")
                .out)
        .startsWith("rust-1.83-cargo");
    Run notFound =
        teec(
            NOW,
            "registry",
            "find",
            reg,
            "--keys",
            set.toString(),
            "--language",
            "rust",
            "--tool",
            "cargo=1.82.0",
            "--json");
    assertThat(notFound.exit).isEqualTo(1);
    assertThat(notFound.out.trim()).isEqualTo("null");
    assertThat(notFound.err).startsWith("Next: 'teec registry list' shows the images it has");

    Run revoke =
        teec(
            NOW,
            "registry",
            "revoke",
            reg,
            "--id",
            "rust-1.83-cargo",
            "--reason",
            "compromised builder");
    assertThat(revoke.exit).as(revoke.toString()).isZero();
    Run text = teec(NOW, "registry", "show", reg, "--id", "rust-1.83-cargo");
    assertThat(text.out)
        .contains("status       revoked at 2026-11-25T00:00:00Z: compromised builder");
    assertThat(teec(NOW, "registry", "verify", reg, "--keys", set.toString()).out)
        .contains("unsigned");

    Instant later = NOW.plusSeconds(300L * 86400);
    assertThat(teec(later, "registry", "renew", reg).out).contains("renewed; wrote version 4");
    teec(later, "registry", "sign", reg, "--key", dir.resolve("bob.jwk").toString());
    Run renewed = teec(later, "registry", "verify", reg, "--keys", set.toString(), "--json");
    JsonNode r = new ObjectMapper().readTree(renewed.out).get("registry");
    assertThat(r.get("expiresAt").asText()).isEqualTo(later.plusSeconds(365L * 86400).toString());
    assertThat(r.get("images").get(0).get("status").asText()).isEqualTo("revoked");
  }

  @Test
  void addImage_rejectsDuplicateIds_andBadPcrs() throws Exception {
    String reg = dir.resolve("r.json").toString();
    teec(NOW, "registry", "init", reg);
    String[] add = {
      "registry",
      "add-image",
      reg,
      "--id",
      "x",
      "--language",
      "c",
      "--tool",
      "gcc=12",
      "--description",
      "d",
      "--recipe-uri",
      "u",
      "--recipe-commit",
      COMMIT,
      "--pcr",
      "0=" + PCR_A,
      "--pcr",
      "1=" + PCR_B,
      "--pcr",
      "2=" + PCR_C
    };
    assertThat(teec(NOW, add).exit).isZero();
    Run dup = teec(NOW, add);
    assertThat(dup.exit).isEqualTo(CliSupport.USAGE);
    assertThat(dup.err).contains("--id x: the registry already has an image with this id");
    String[] missingPcr2 = java.util.Arrays.copyOf(add, add.length - 2);
    missingPcr2[4] = "y";
    assertThat(teec(NOW, missingPcr2).err).contains("PCR2 is required");
  }

  @Test
  void image_build_measure_andAddImageFromTheEif() throws Exception {
    Path kernel = Files.write(dir.resolve("bzImage"), new byte[] {1, 2, 3, 4});
    Path ramdisk = Files.write(dir.resolve("init.cpio"), new byte[] {5, 6, 7});
    Path app = Files.write(dir.resolve("app.cpio"), new byte[] {8, 9});
    Path eif = dir.resolve("test.eif");
    Run build =
        teec(
            NOW,
            "image",
            "build",
            "--kernel",
            kernel.toString(),
            "--cmdline",
            "console=ttyS0",
            "--ramdisk",
            ramdisk.toString(),
            "--ramdisk",
            app.toString(),
            "--out",
            eif.toString(),
            "--json");
    assertThat(build.exit).as(build.toString()).isZero();
    JsonNode built = new ObjectMapper().readTree(build.out);

    Run measure = teec(NOW, "image", "measure", eif.toString(), "--json");
    assertThat(measure.exit).isZero();
    JsonNode m = new ObjectMapper().readTree(measure.out);
    assertThat(m.get("pcrs")).isEqualTo(built.get("pcrs"));
    assertThat(m.get("valid").asBoolean()).isTrue();
    assertThat(m.get("version").asInt()).isEqualTo(4);
    assertThat(m.get("sections")).hasSize(4);
    // PCR2 covers only the application ramdisk: SHA-384(48 zero bytes || SHA-384(08 09)).
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-384");
    byte[] inner = sha.digest(new byte[] {8, 9});
    sha.update(new byte[48]);
    assertThat(m.get("pcrs").get("2").asText())
        .isEqualTo(java.util.HexFormat.of().formatHex(sha.digest(inner)));

    Run text = teec(NOW, "image", "measure", eif.toString());
    assertThat(text.out).contains("CRC-32", "PCR0     " + m.get("pcrs").get("0").asText());

    String reg = dir.resolve("r.json").toString();
    teec(NOW, "registry", "init", reg);
    Run add =
        teec(
            NOW,
            "registry",
            "add-image",
            reg,
            "--id",
            "c-test",
            "--language",
            "c",
            "--tool",
            "gcc=12",
            "--description",
            "d",
            "--recipe-uri",
            "u",
            "--recipe-commit",
            COMMIT,
            "--eif",
            eif.toString());
    assertThat(add.exit).as(add.toString()).isZero();
    JsonNode shown =
        new ObjectMapper()
            .readTree(teec(NOW, "registry", "show", reg, "--id", "c-test", "--json").out);
    assertThat(shown.get("pcrs")).isEqualTo(m.get("pcrs"));

    byte[] corrupt = Files.readAllBytes(eif);
    corrupt[0] = 'X';
    Path bad = Files.write(dir.resolve("bad.eif"), corrupt);
    Run rejected = teec(NOW, "image", "measure", bad.toString());
    assertThat(rejected.exit).isEqualTo(1);
    assertThat(rejected.out).startsWith("INVALID  " + bad + ": bad magic");
    assertThat(rejected.err).startsWith("Next: give an Enclave Image File");
    Run missing = teec(NOW, "image", "measure", dir.resolve("nope.eif").toString());
    assertThat(missing.exit).isEqualTo(CliSupport.USAGE);
    assertThat(missing.err).contains("no such file");
  }

  @Test
  void image_measure_signedEif_reportsTheSignature_andAddImageRefusesABadOne() throws Exception {
    Path kernel = Files.write(dir.resolve("bzImage"), new byte[] {1, 2, 3, 4});
    Path ramdisk = Files.write(dir.resolve("init.cpio"), new byte[] {5, 6, 7});
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(384);
    java.security.KeyPair kp = g.generateKeyPair();
    org.bouncycastle.asn1.x500.X500Name name =
        new org.bouncycastle.asn1.x500.X500Name("CN=image signer");
    java.security.cert.X509Certificate cert =
        new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
            .getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                        name,
                        java.math.BigInteger.TEN,
                        java.util.Date.from(NOW.minusSeconds(86400)),
                        java.util.Date.from(NOW.plusSeconds(86400)),
                        name,
                        kp.getPublic())
                    .build(
                        new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                                "SHA384withECDSA")
                            .build(kp.getPrivate())));
    Path good = dir.resolve("signed.eif");
    dev.teec.truststore.eif.EifWriter.builder()
        .kernel(kernel)
        .cmdline("c")
        .addRamdisk(ramdisk)
        .sign(cert, kp.getPrivate())
        .build()
        .write(good);
    Run text = teec(NOW, "image", "measure", good.toString());
    assertThat(text.exit).as(text.toString()).isZero();
    assertThat(text.out).contains("PCR8     ", "signed   by CN=image signer: valid");
    JsonNode json =
        new ObjectMapper().readTree(teec(NOW, "image", "measure", good.toString(), "--json").out);
    assertThat(json.get("signature").get("valid").asBoolean()).isTrue();

    // The same through the command line, with PEM files as nitro-cli takes them.
    Path certPem =
        Files.writeString(
            dir.resolve("cert.pem"),
            "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    Path keyPem =
        Files.writeString(
            dir.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    Path viaCli = dir.resolve("cli-signed.eif");
    Run built =
        teec(
            NOW,
            "image",
            "build",
            "--kernel",
            kernel.toString(),
            "--cmdline",
            "c",
            "--ramdisk",
            ramdisk.toString(),
            "--signing-certificate",
            certPem.toString(),
            "--private-key",
            keyPem.toString(),
            "--out",
            viaCli.toString(),
            "--json");
    assertThat(built.exit).as(built.toString()).isZero();
    JsonNode builtJson = new ObjectMapper().readTree(built.out);
    assertThat(builtJson.get("signature").get("valid").asBoolean()).isTrue();
    assertThat(builtJson.get("pcrs")).isEqualTo(json.get("pcrs"));
    assertThat(
            teec(
                    NOW,
                    "image",
                    "build",
                    "--kernel",
                    kernel.toString(),
                    "--cmdline",
                    "c",
                    "--ramdisk",
                    ramdisk.toString(),
                    "--signing-certificate",
                    certPem.toString(),
                    "--out",
                    viaCli.toString())
                .err)
        .contains("--signing-certificate and --private-key go together");

    Path bad = dir.resolve("badsig.eif");
    dev.teec.truststore.eif.EifWriter.builder()
        .kernel(kernel)
        .cmdline("c")
        .addRamdisk(ramdisk)
        .sign(cert, g.generateKeyPair().getPrivate())
        .build()
        .write(bad);
    assertThat(teec(NOW, "image", "measure", bad.toString()).out)
        .contains("INVALID, the signature does not verify");
    String reg = dir.resolve("r.json").toString();
    teec(NOW, "registry", "init", reg);
    Run add =
        teec(
            NOW,
            "registry",
            "add-image",
            reg,
            "--id",
            "c-test",
            "--language",
            "c",
            "--tool",
            "gcc=12",
            "--description",
            "d",
            "--recipe-uri",
            "u",
            "--recipe-commit",
            COMMIT,
            "--eif",
            bad.toString());
    assertThat(add.exit).isEqualTo(CliSupport.USAGE);
    assertThat(add.err).contains("the EIF's signature is invalid");
    Run addGood =
        teec(
            NOW,
            "registry",
            "add-image",
            reg,
            "--id",
            "c-test",
            "--language",
            "c",
            "--tool",
            "gcc=12",
            "--description",
            "d",
            "--recipe-uri",
            "u",
            "--recipe-commit",
            COMMIT,
            "--eif",
            good.toString());
    assertThat(addGood.exit).as(addGood.toString()).isZero();
    JsonNode shown =
        new ObjectMapper()
            .readTree(teec(NOW, "registry", "show", reg, "--id", "c-test", "--json").out);
    assertThat(shown.get("pcrs").get("8").asText()).isEqualTo(json.get("pcrs").get("8").asText());
  }

  @Test
  void parentCommands_withoutSubcommand_areUsageErrors() {
    assertThat(teec(NOW, "registry").exit).isEqualTo(CliSupport.USAGE);
    assertThat(teec(NOW, "image").exit).isEqualTo(CliSupport.USAGE);
  }

  static Run teec(Instant now, String... args) {
    CommandLine cmd = Teec.newCommandLine(Clock.fixed(now, ZoneOffset.UTC), java.util.Map.of());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  static List<String> lines(String s) {
    return new ArrayList<>(s.lines().toList());
  }
}
