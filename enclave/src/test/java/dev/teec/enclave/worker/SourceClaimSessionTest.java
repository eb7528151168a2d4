package dev.teec.enclave.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.git.GitRepo;
import dev.teec.enclave.git.SourceClaim;
import dev.teec.enclave.git.SourceClaimException;
import dev.teec.enclave.protocol.BuildEvents;
import dev.teec.enclave.protocol.BuildOutcome;
import dev.teec.enclave.protocol.BuildPhase;
import dev.teec.enclave.protocol.BuildRequest;
import dev.teec.enclave.protocol.ByteString;
import dev.teec.enclave.protocol.ClientHello;
import dev.teec.enclave.protocol.ClientSession;
import dev.teec.enclave.protocol.ErrorCode;
import dev.teec.enclave.protocol.LogLine;
import dev.teec.enclave.protocol.RemoteErrorException;
import dev.teec.enclave.protocol.SessionLimits;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.formats.bundle.BundleLimits;
import dev.teec.formats.bundle.BundleReader;
import dev.teec.formats.report.SourceInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lying client against a real worker over the real wire protocol: every source claim that does
 * not hold is refused with {@code source_rejected} naming the failed check, before anything is
 * built, and no bundle comes back.
 */
class SourceClaimSessionTest {
  private static final String BUILD_JSON =
      "{\"language\":\"c\",\"input\":{\"cmd\":\"echo BUILD-RAN; gcc -o hello hello.c\"},"
          + "\"output\":{\"files\":[\"hello\"]}}";

  @TempDir Path tmp;
  private ServedWorker served;
  private GitRepo repo;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<BuildPhase> phases = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    served = new ServedWorker(tmp, WorkerServer.Timeouts.DEFAULT);
    repo =
        GitRepo.init(tmp.resolve("repo"))
            .write("README", "victim/hello\n")
            .write("app/build.json", BUILD_JSON)
            .write("app/hello.c", "int main(void) { return 0; }\n")
            .write("app/lib/util.h", "#define UTIL 1\n");
    repo.commit("hello");
  }

  @AfterEach
  void stop() throws Exception {
    served.close();
  }

  /** Sends {@code claim} with {@code trees} and {@code archive}, as a client of its own making. */
  private BuildOutcome send(
      SourceClaim claim, List<byte[]> trees, byte[] archive, ByteArrayOutputStream bundle)
      throws Exception {
    return send(BUILD_JSON, claim, trees, archive, bundle);
  }

  private BuildOutcome send(
      String buildJson,
      SourceClaim claim,
      List<byte[]> trees,
      byte[] archive,
      ByteArrayOutputStream bundle)
      throws Exception {
    try (ClientSession client =
        new ClientSession(
            served.transport.connect(), ClientHello.of("liar"), SessionLimits.DEFAULT)) {
      client.handshake();
      BuildRequest request =
          new BuildRequest(
              ByteString.of(buildJson.getBytes(StandardCharsets.UTF_8)),
              ByteString.of(new byte[32]),
              archive.length,
              ByteString.of(MessageDigest.getInstance("SHA-256").digest(archive)),
              new SourceMetadata(
                  "git+https://github.com/victim/hello",
                  claim.commit(),
                  claim.tree(),
                  claim.path().isEmpty() ? null : claim.path(),
                  false,
                  claim.commitTime(),
                  ByteString.of(claim.commitObject()),
                  trees.size()));
      return client.build(
          request,
          trees.stream().map(ByteString::of).toList(),
          new ByteArrayInputStream(archive),
          new BuildEvents() {
            @Override
            public void onLog(LogLine line) {
              log.add(line.line());
            }

            @Override
            public void onPhase(BuildPhase phase) {
              phases.add(phase);
            }
          },
          bundle);
    }
  }

  private void assertRejected(
      SourceClaim claim, List<byte[]> trees, byte[] archive, String check, String detail) {
    assertRejected(BUILD_JSON, claim, trees, archive, check, detail);
  }

  private void assertRejected(
      String buildJson,
      SourceClaim claim,
      List<byte[]> trees,
      byte[] archive,
      String check,
      String detail) {
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();
    assertThatThrownBy(() -> send(buildJson, claim, trees, archive, bundle))
        .isInstanceOfSatisfying(
            RemoteErrorException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_REJECTED);
              assertThat(e.getMessage()).contains(check + ": ").contains(detail);
            });
    assertThat(bundle.size()).as("no bundle").isZero();
    assertThat(log).as("nothing was built").doesNotContain("BUILD-RAN");
    assertThat(phases).doesNotContain(BuildPhase.ATTESTING, BuildPhase.SENDING);
  }

  @Test
  void honestClaim_builds_andTheReportRecordsTheVerifiedCommitAndDirectory() throws Exception {
    SourceClaim claim = repo.claim("app");
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();

    BuildOutcome outcome = send(claim, repo.treeObjects("app"), repo.archive("app"), bundle);

    assertThat(outcome.result().success()).as(outcome.result().message()).isTrue();
    Path file = tmp.resolve("bundle.tar");
    Files.write(file, bundle.toByteArray());
    SourceInfo source =
        new BundleReader(BundleLimits.defaults())
            .read(file, Files.createDirectories(tmp.resolve("x")))
            .checkConsistency()
            .source();
    assertThat(source.commit()).isEqualTo(claim.commit());
    assertThat(source.tree()).isEqualTo(repo.git("rev-parse", "HEAD:app"));
    assertThat(source.path()).isEqualTo("app");
    assertThat(source.commitVerified()).isTrue();
    assertThat(source.dirty()).isFalse();
  }

  @Test
  void archiveOfAModifiedFile_isRefused_archiveTree() throws Exception {
    SourceClaim claim = repo.claim("app");
    List<byte[]> trees = repo.treeObjects("app");
    repo.write("app/hello.c", "int main(void) { return 66; } /* trojan */\n");

    assertRejected(
        claim,
        trees,
        repo.archive("app"),
        SourceClaimException.ARCHIVE_TREE,
        "\"hello.c\" has other content than in the commit");
  }

  @Test
  void archiveWithAnAddedFile_isRefused_archiveTree() throws Exception {
    SourceClaim claim = repo.claim("app");
    List<byte[]> trees = repo.treeObjects("app");
    repo.write("app/lib/backdoor.c", "void backdoor(void) {}\n");

    assertRejected(
        claim,
        trees,
        repo.archive("app"),
        SourceClaimException.ARCHIVE_TREE,
        "\"lib/backdoor.c\" is in the archive but not in the commit");
  }

  @Test
  void claimOfACommitTheArchiveIsNot_isRefused() throws Exception {
    SourceClaim victim = repo.claim("app");
    List<byte[]> victimTrees = repo.treeObjects("app");
    repo.write("app/hello.c", "int main(void) { return 66; }\n").commit("the attacker's commit");

    // The victim's commit, trees and tree id, with the attacker's files.
    assertRejected(
        victim,
        victimTrees,
        repo.archive("app"),
        SourceClaimException.ARCHIVE_TREE,
        "not the claimed tree " + victim.tree());
  }

  @Test
  void commitObjectThatDoesNotHashToTheClaimedId_isRefusedBeforeTheSource() throws Exception {
    SourceClaim honest = repo.claim("app");
    String attackerCommit = repo.write("app/x", "x\n").commit("other");
    SourceClaim lying =
        new SourceClaim(
            honest.commit(),
            repo.object("commit", attackerCommit),
            "app",
            honest.tree(),
            honest.commitTime());

    assertRejected(
        lying,
        repo.treeObjects("app"),
        repo.archive("app"),
        SourceClaimException.COMMIT_ID,
        "not to the claimed commit " + honest.commit());
    assertThat(phases).as("refused before the source was asked for").isEmpty();
  }

  @Test
  void treeObjectsMissingASubtree_isRefused_treeObjects() throws Exception {
    SourceClaim claim = repo.claim("app");
    byte[] lib = repo.object("tree", repo.git("rev-parse", "HEAD:app/lib"));
    List<byte[]> trees = new ArrayList<>(repo.treeObjects("app"));
    trees.removeIf(t -> java.util.Arrays.equals(t, lib));

    assertRejected(
        claim,
        trees,
        repo.archive("app"),
        SourceClaimException.TREE_OBJECTS,
        "of directory \"app/lib\" of commit " + claim.commit() + " was not sent");
  }

  /** An honest commit with another build command would build something the commit does not. */
  @Test
  void buildJsonOtherThanTheCommits_isRefused_buildJson() throws Exception {
    String other =
        BUILD_JSON.replace(
            "gcc -o hello hello.c", "echo 'int main(){return 66;}' > t.c; gcc -o hello t.c");
    assertRejected(
        other,
        repo.claim("app"),
        repo.treeObjects("app"),
        repo.archive("app"),
        SourceClaimException.BUILD_JSON,
        "the build.json sent is not the commit's build.json");
  }

  @Test
  void buildJsonFormattedDifferently_isTheSameDefinition_andBuilds() throws Exception {
    String spaced = BUILD_JSON.replace(",", " ,\n  ").replace("{", "{ ");
    BuildOutcome outcome =
        send(
            spaced,
            repo.claim("app"),
            repo.treeObjects("app"),
            repo.archive("app"),
            new ByteArrayOutputStream());
    assertThat(outcome.result().success()).as(outcome.result().message()).isTrue();
  }
}
