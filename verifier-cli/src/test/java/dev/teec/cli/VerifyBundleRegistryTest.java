package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.teec.truststore.registry.ImageStatus;
import dev.teec.truststore.registry.MaintainerKeys;
import dev.teec.verifier.bundle.BundleForge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teec-verify bundle --registry}: the bundle's attested image must be an active registry
 * entry.
 */
class VerifyBundleRegistryTest {
  static final ECKey KEY = MaintainerKeys.generate("alice");

  @TempDir static Path tmp;
  static BundleForge forge;
  static Path keys;

  @BeforeAll
  static void bundle() throws Exception {
    forge = BundleForge.create(tmp);
    keys = Files.writeString(tmp.resolve("keys.jwks"), new JWKSet(KEY.toPublicJWK()).toString());
  }

  @Test
  void activeImage_identifiesTheBuilder() throws Exception {
    JsonNode r =
        verify(0, registry("ok.json", ImageStatus.active()), keys, "--expect-builder", "c-gcc");
    assertThat(check(r, "bundle.image").get("status").asText()).isEqualTo("PASS");
    assertThat(check(r, "bundle.image").get("detail").asText()).contains("image c-gcc");
    assertThat(check(r, "bundle.expect.builder").get("status").asText()).isEqualTo("PASS");
    assertThat(r.get("warnings").toString()).doesNotContain("bundle.image");
  }

  @Test
  void revokedImage_isRejectedWithTheReason() throws Exception {
    JsonNode r =
        verify(
            1,
            registry(
                "revoked.json",
                ImageStatus.revoked("compiler backdoor", Instant.now().minusSeconds(60))),
            keys);
    assertThat(r.get("failures").toString()).contains("bundle.image");
    assertThat(check(r, "bundle.image").get("detail").asText())
        .contains("c-gcc", "compiler backdoor");
  }

  @Test
  void registrySignedByAnotherKey_trustsNoImage() throws Exception {
    Path otherKeys =
        Files.writeString(
            tmp.resolve("other.jwks"),
            new JWKSet(MaintainerKeys.generate("mallory").toPublicJWK()).toString());
    JsonNode r = verify(1, registry("ok2.json", ImageStatus.active()), otherKeys);
    assertThat(r.get("failures").toString()).contains("bundle.image");
    assertThat(check(r, "bundle.image").get("detail").asText())
        .contains("did not verify", "registry.signature");
  }

  @Test
  void olderRegistryAfterANewer_trustsNoImage_unlessRollbackIsAllowed() throws Exception {
    ECKey maintainer = MaintainerKeys.generate("rollback");
    Path pinned =
        Files.writeString(
            tmp.resolve("rollback.jwks"), new JWKSet(maintainer.toPublicJWK()).toString());
    Path newer = registry("v2.json", 2, ImageStatus.active(), maintainer);
    Path older = registry("v1.json", 1, ImageStatus.active(), maintainer);
    verify(0, newer, pinned);
    JsonNode replayed = verify(1, older, pinned);
    assertThat(replayed.get("failures").toString()).contains("bundle.image");
    assertThat(check(replayed, "bundle.image").get("detail").asText())
        .contains("did not verify", "registry.version", "rollback: version 1 is below version 2");
    JsonNode allowed = verify(0, older, pinned, "--registry-allow-rollback");
    assertThat(check(allowed, "bundle.image").get("status").asText()).isEqualTo("WARN");
    assertThat(check(allowed, "bundle.image").get("detail").asText())
        .contains("image c-gcc", "ROLLBACK ALLOWED: version 1 is below version 2");
    assertThat(allowed.get("warnings").toString()).contains("bundle.image");
  }

  private static JsonNode verify(int exit, Path registry, Path jwks, String... extra)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "bundle",
                "--simulated",
                "--json",
                "--registry",
                registry.toString(),
                "--registry-keys",
                jwks.toString()));
    args.addAll(List.of(extra));
    args.add(forge.base.toString());
    CliRun run =
        CliRun.run(
            clock -> TeecVerify.newCommandLine(clock, forge.env),
            Clock.systemUTC(),
            args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exit);
    return new ObjectMapper().readTree(run.out());
  }

  private static Path registry(String name, ImageStatus status) throws Exception {
    return registry(name, 1, status, KEY);
  }

  private static Path registry(String name, long version, ImageStatus status, ECKey signer)
      throws Exception {
    return forge.registry(name, version, status, signer);
  }

  private static JsonNode check(JsonNode report, String id) {
    for (JsonNode c : report.get("checks")) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no check " + id + " in " + report);
  }
}
