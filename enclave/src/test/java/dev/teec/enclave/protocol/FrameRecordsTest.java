package dev.teec.enclave.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameRecordsTest {

  @Test
  void bytes_copiesInAndOut_andComparesByContent() {
    byte[] source = {1, 2, 3};
    ByteString bytes = ByteString.of(source);
    source[0] = 9;
    bytes.toArray()[1] = 9;

    assertThat(bytes.toArray()).containsExactly(1, 2, 3);
    assertThat(bytes)
        .isEqualTo(ByteString.fromHex("010203"))
        .hasSameHashCodeAs(ByteString.fromHex("010203"));
    assertThat(ByteString.of(new byte[40]).toString()).startsWith("ByteString[40]").endsWith("...");
  }

  @Test
  void buildRequest_nonceOutsideLimits_isRejectedNamingTheField() {
    assertThatThrownBy(() -> SampleFramesWithNonce.of(15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("build_request.nonce");
    assertThatThrownBy(() -> SampleFramesWithNonce.of(65))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64");
    assertThat(SampleFramesWithNonce.of(16).nonce().size()).isEqualTo(16);
    assertThat(SampleFramesWithNonce.of(64).nonce().size()).isEqualTo(64);
  }

  @Test
  void sourceMetadata_dirtyWithoutCommit_isRejected() {
    assertThatThrownBy(() -> new SourceMetadata(null, null, null, true, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dirty");
  }

  @Test
  void sourceMetadata_cleanCommitWithoutItsObject_isRejected() {
    assertThatThrownBy(
            () -> new SourceMetadata(null, SampleFrames.COMMIT, SampleFrames.COMMIT, false, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("source_metadata.commit_object is null");
  }

  @Test
  void sourceMetadata_evidenceThatDoesNotFit_isRejected() {
    ByteString object = SampleFrames.COMMIT_OBJECT;
    String c = SampleFrames.COMMIT;
    assertThatThrownBy(() -> new SourceMetadata(null, c, c, null, true, 1L, object, 1))
        .hasMessageContaining("no dirty flag");
    assertThatThrownBy(() -> new SourceMetadata(null, c, null, null, false, 1L, object, 1))
        .hasMessageContaining("needs a commit and a tree");
    assertThatThrownBy(() -> new SourceMetadata(null, c, c, null, false, 1L, object, 0))
        .hasMessageContaining("tree_objects is 0");
    assertThatThrownBy(() -> new SourceMetadata(null, c, c, null, true, 1L, null, 3))
        .hasMessageContaining("tree_objects is 3 without a commit object");
    assertThatThrownBy(
            () ->
                new SourceMetadata(
                    null, c, c, null, false, 1L, object, Protocol.MAX_TREE_OBJECTS + 1))
        .hasMessageContaining("source_metadata.tree_objects");
    assertThatThrownBy(
            () ->
                new SourceMetadata(
                    null,
                    c,
                    c,
                    null,
                    false,
                    1L,
                    ByteString.of(new byte[Protocol.MAX_COMMIT_OBJECT_BYTES + 1]),
                    1))
        .hasMessageContaining("source_metadata.commit_object");
  }

  @Test
  void sourceMetadata_badPaths_areRejected() {
    ByteString object = SampleFrames.COMMIT_OBJECT;
    String c = SampleFrames.COMMIT;
    for (String path : List.of("", "/abs", "a//b", "a/../b", "./a", "a/", "a\\b", "a\nb")) {
      assertThatThrownBy(() -> new SourceMetadata(null, c, c, path, false, 1L, object, 1))
          .as(path)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("source_metadata.path");
    }
    assertThatThrownBy(() -> new SourceMetadata(null, null, null, "a", false, null, null, 0))
        .hasMessageContaining("source_metadata.path");
  }

  @Test
  void sourceMetadata_commitTimeOutOfRange_isRejected() {
    assertThatThrownBy(() -> new SourceMetadata(null, null, null, false, -1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commit_time");
    assertThatThrownBy(
            () -> new SourceMetadata(null, null, null, false, Protocol.MAX_COMMIT_TIME + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void result_successWithNonZeroOrMissingExitCode_isRejected() {
    assertThatThrownBy(() -> new Result(true, 1, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Result(true, null, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Result(false, 256, ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void workerHello_capabilities_areCheckedAndCopied() {
    List<String> capabilities = new ArrayList<>(List.of("rust"));
    WorkerHello hello = WorkerHello.of("w", capabilities, WorkerMode.NITRO);
    capabilities.add("go");

    assertThat(hello.capabilities()).containsExactly("rust");
    assertThat(hello.simulated()).isFalse();
    assertThatThrownBy(() -> WorkerHello.of("w", List.of("Rust"), WorkerMode.NITRO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capabilities[0]");
    assertThatThrownBy(() -> WorkerHello.of("w", List.of("go", "go"), WorkerMode.NITRO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeats");
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= Protocol.MAX_CAPABILITIES; i++) {
      many.add("c" + i);
    }
    assertThatThrownBy(() -> WorkerHello.of("w", many, WorkerMode.NITRO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 32");
  }

  @Test
  void names_unpairedSurrogateOrControlCharacter_isRejected() {
    assertThatThrownBy(() -> ClientHello.of("bad\ud800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
    assertThatThrownBy(() -> ClientHello.of("tab\tname"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+0009");
    assertThatThrownBy(() -> ClientHello.of("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logLine_fitting_cutsAtACharacterBoundaryWithinTheLimit() {
    String text = "€".repeat(Protocol.MAX_LOG_LINE_BYTES); // 3 bytes each

    LogLine line = LogLine.fitting(LogStream.STDOUT, text);

    byte[] utf8 = line.line().getBytes(StandardCharsets.UTF_8);
    assertThat(utf8.length).isLessThanOrEqualTo(Protocol.MAX_LOG_LINE_BYTES);
    assertThat(line.line()).endsWith("€...");
    assertThat(LogLine.fitting(LogStream.STDOUT, "short").line()).isEqualTo("short");
    assertThat(LogLine.fitting(LogStream.STDOUT, "a\ud800b").line()).isEqualTo("a\ufffdb");
  }

  @Test
  void logLine_fitting_keepsFourByteCharactersWhole() {
    String text = "😀".repeat(Protocol.MAX_LOG_LINE_BYTES);

    String fitted = LogLine.fitting(LogStream.WORKER, text).line();

    assertThat(fitted.codePoints().filter(c -> c == 0x1F600).count() * 4 + 3)
        .isEqualTo(fitted.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void errorFrame_peerGone_isNeverSent() {
    assertThatThrownBy(() -> new ErrorFrame(ErrorCode.PEER_GONE, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ErrorFrame.fitting(ErrorCode.INTERNAL, "m".repeat(10_000)).message().length())
        .isEqualTo(Protocol.MAX_MESSAGE_BYTES);
  }

  @Test
  void egressOpen_host_mustBeLowerCaseNameOrIpv4() {
    assertThat(EgressOpen.isValidHost("repo1.maven.org")).isTrue();
    assertThat(EgressOpen.isValidHost("192.168.0.1")).isTrue();
    assertThat(EgressOpen.isValidHost("Repo1.maven.org")).isFalse();
    assertThat(EgressOpen.isValidHost("-bad.org")).isFalse();
    assertThat(EgressOpen.isValidHost("a..b")).isFalse();
    assertThat(EgressOpen.isValidHost("[::1]")).isFalse();
    assertThat(EgressOpen.isValidHost("host:443")).isFalse();
    assertThat(EgressOpen.isValidHost("a".repeat(64) + ".org")).isFalse();
    assertThat(EgressOpen.isValidHost("")).isFalse();
  }

  @Test
  void errorCodes_haveStableWireNames() {
    assertThat(ErrorCode.UNEXPECTED_FRAME.wireName()).isEqualTo("unexpected_frame");
    assertThat(ErrorCode.fromWireName("digest_mismatch")).contains(ErrorCode.DIGEST_MISMATCH);
    assertThat(ErrorCode.fromWireName("DIGEST_MISMATCH")).isEmpty();
    assertThat(FrameType.fromWireName("build_request")).contains(FrameType.BUILD_REQUEST);
  }

  private static final class SampleFramesWithNonce {
    static BuildRequest of(int nonceBytes) {
      return new BuildRequest(
          ByteString.of(new byte[] {'{', '}'}),
          ByteString.of(new byte[nonceBytes]),
          0,
          SampleFrames.SHA,
          SourceMetadata.UNKNOWN);
    }
  }
}
