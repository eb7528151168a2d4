package dev.teec.verifier.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.enclave.nsm.SimulatedNsm;
import dev.teec.verifier.CheckStatus;
import dev.teec.verifier.TrustAnchors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable bit is attested: the report records each subject's, and a tar entry (or a user's
 * file) whose bit differs fails that artifact's check, even when its bytes are the recorded ones.
 */
class ArtifactModeTest {
  @TempDir static Path tmp;
  private static BundleForge forge;
  private static SimulatedNsm nsm;
  private static BundleForge.Parts parts;

  @BeforeAll
  static void buildBundle() throws Exception {
    forge = BundleForge.create(tmp);
    nsm = forge.otherBuilder();
    parts = forge.read(forge.base);
  }

  private static BundleVerification verify(Path bundle, Path userFile) throws Exception {
    BundleVerifier.Builder b =
        BundleVerifier.builder()
            .clock(Clock.systemUTC())
            .trustAnchors(TrustAnchors.awsNitroEnclavesRootG1())
            .simulatedRoot(nsm.rootCertificate())
            .acceptAnyImage();
    if (userFile != null) {
      b.artifactFile("hello", userFile);
    }
    return b.build().verify(bundle);
  }

  @Test
  void verify_executableBitRemovedInTheTar_failsTheArtifactCheck() throws Exception {
    assertThat(parts.executables()).containsExactly("hello");
    assertThat(verify(forge.write("genuine.tar", parts), null).verified()).isTrue();

    // Re-packed with mode 0644; report, envelope and attestation untouched.
    BundleVerification v =
        verify(forge.write("exec-removed.tar", parts.withMode("hello", false)), null);

    assertThat(v.verified()).isFalse();
    assertThat(v.checks())
        .filteredOn(BundleCheck::failed)
        .extracting(BundleCheck::id)
        .containsExactly("bundle.artifact:hello");
    assertThat(v.check("bundle.artifact:hello").orElseThrow().detail())
        .isEqualTo("artifacts/hello has mode 0644 in the tar, the report records 0755");
    assertThat(v.artifacts().get(0).status()).isEqualTo(ArtifactResult.Status.MISMATCH);
  }

  @Test
  void verify_executableBitAddedInTheTar_failsTheArtifactCheck() throws Exception {
    byte[] notes = "read me".getBytes(StandardCharsets.UTF_8);
    String digest = BundleForge.sha256(notes);
    // An attested bundle whose notes.txt the report records as not executable (mode 0644).
    BundleForge.Parts attested =
        forge.resign(
            parts.withArtifact("notes.txt", notes).withMode("notes.txt", false),
            nsm,
            r -> BundleForge.withSubject(r, "notes.txt", digest, false));
    BundleVerification genuine = verify(forge.write("plain.tar", attested), null);
    assertThat(genuine.verified()).as("%s", genuine.checks()).isTrue();
    assertThat(genuine.check("bundle.artifact:notes.txt").orElseThrow().detail())
        .endsWith("and its mode (0644)");

    BundleVerification v =
        verify(forge.write("exec-added.tar", attested.withMode("notes.txt", true)), null);

    assertThat(v.verified()).isFalse();
    assertThat(v.checks())
        .filteredOn(BundleCheck::failed)
        .extracting(BundleCheck::id)
        .containsExactly("bundle.artifact:notes.txt");
    assertThat(v.check("bundle.artifact:notes.txt").orElseThrow().detail())
        .isEqualTo("artifacts/notes.txt has mode 0755 in the tar, the report records 0644");
  }

  @Test
  void verify_userFileWithoutTheRecordedExecutableBit_failsItsFileCheck() throws Exception {
    Path file = Files.write(tmp.resolve("hello-user"), parts.artifacts().get("hello"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    BundleVerification v = verify(forge.base, file);

    assertThat(v.verified()).isFalse();
    BundleCheck check = v.check("bundle.file:hello").orElseThrow();
    assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(check.detail()).isEqualTo(file + " is not executable, the report records mode 0755");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    BundleVerification ok = verify(forge.base, file);
    assertThat(ok.verified()).as("%s", ok.checks()).isTrue();
    assertThat(ok.check("bundle.file:hello").orElseThrow().detail())
        .endsWith("and is executable, as the report records");
  }
}
