package dev.teec.enclave.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** One or more valid frames of every type, including empty, null and maximal fields. */
final class SampleFrames {

  static final ByteString SHA =
      ByteString.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  static final ByteString NONCE = ByteString.fromHex("00112233445566778899aabbccddeeff");
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final ByteString COMMIT_OBJECT =
      ByteString.of(
          ("tree " + COMMIT + "\nauthor a <a@b> 1 +0000\ncommitter a <a@b> 1 +0000\n\nm\n")
              .getBytes(StandardCharsets.UTF_8));

  private SampleFrames() {}

  static BuildRequest buildRequest(long size, ByteString sha256) {
    return new BuildRequest(
        ByteString.of("{\"language\":\"c\"}".getBytes(StandardCharsets.UTF_8)),
        NONCE,
        size,
        sha256,
        new SourceMetadata("https://example.org/repo.git", COMMIT, COMMIT, true, 1_700_000_000L));
  }

  /** A request claiming a commit, announcing {@code trees} tree objects. */
  static BuildRequest claimRequest(long size, ByteString sha256, int trees) {
    return new BuildRequest(
        ByteString.of("{\"language\":\"c\"}".getBytes(StandardCharsets.UTF_8)),
        NONCE,
        size,
        sha256,
        new SourceMetadata(null, COMMIT, COMMIT, null, false, 1L, COMMIT_OBJECT, trees));
  }

  static List<Frame> all() {
    byte[] maxChunk = new byte[Protocol.MAX_CHUNK_BYTES];
    Arrays.fill(maxChunk, (byte) 0x5a);
    return List.of(
        ClientHello.of("teec"),
        ClientHello.of("ünïcode client ☃"),
        WorkerHello.of("worker", List.of(), WorkerMode.NITRO),
        WorkerHello.of("worker-1", List.of("rust", "go", "java.maven", "c"), WorkerMode.SIMULATED),
        buildRequest(12345, SHA),
        new BuildRequest(
            ByteString.of(new byte[Protocol.MAX_BUILD_JSON_BYTES]),
            ByteString.of(new byte[64]),
            Protocol.MAX_SOURCE_BYTES,
            SHA,
            new SourceMetadata(
                "https://" + "u".repeat(2040),
                "cd".repeat(32),
                "ef".repeat(32),
                true,
                Protocol.MAX_COMMIT_TIME)),
        new BuildRequest(
            ByteString.of(new byte[] {'{', '}'}), NONCE, 1, SHA, SourceMetadata.UNKNOWN),
        new BuildRequest(
            ByteString.of(new byte[] {'{', '}'}),
            NONCE,
            0,
            SHA,
            new SourceMetadata(null, "ab".repeat(32), null, true, 0L)),
        new BuildRequest(
            ByteString.of(new byte[] {'{', '}'}),
            NONCE,
            0,
            SHA,
            new SourceMetadata(
                "git+https://example.org/r",
                COMMIT,
                COMMIT,
                "app/ünï",
                false,
                1L,
                COMMIT_OBJECT,
                2)),
        new BuildRequest(
            ByteString.of(new byte[Protocol.MAX_BUILD_JSON_BYTES]),
            ByteString.of(new byte[64]),
            Protocol.MAX_SOURCE_BYTES,
            SHA,
            new SourceMetadata(
                "https://" + "u".repeat(2040),
                COMMIT,
                COMMIT,
                "d/".repeat(Protocol.MAX_PATH_BYTES / 2 - 1) + "d",
                false,
                Protocol.MAX_COMMIT_TIME,
                ByteString.of(new byte[Protocol.MAX_COMMIT_OBJECT_BYTES]),
                Protocol.MAX_TREE_OBJECTS)),
        new TreeObject(ByteString.of(new byte[0])),
        new TreeObject(ByteString.of(new byte[Protocol.MAX_TREE_OBJECT_BYTES])),
        new SourceChunk(ByteString.of(new byte[] {1})),
        new SourceChunk(ByteString.of(maxChunk)),
        new SourceEnd(),
        new LogLine(LogStream.STDOUT, ""),
        new LogLine(LogStream.STDERR, "error: \u001b[31mred\u001b[0m"),
        new LogLine(LogStream.WORKER, "x".repeat(Protocol.MAX_LOG_LINE_BYTES)),
        new Phase(BuildPhase.RECEIVING),
        new Phase(BuildPhase.SENDING),
        new BundleStart(0, SHA),
        new BundleStart(Protocol.MAX_BUNDLE_BYTES, SHA),
        new BundleChunk(ByteString.of(maxChunk)),
        new BundleEnd(),
        new Result(true, 0, ""),
        new Result(false, 2, "build failed"),
        new Result(false, null, "build timed out after 600 s"),
        new ErrorFrame(ErrorCode.UNEXPECTED_FRAME, "expected build_request"),
        new ErrorFrame(ErrorCode.INTERNAL, "é".repeat(Protocol.MAX_MESSAGE_BYTES / 2)),
        EgressOpen.of("index.crates.io", 443),
        EgressOpen.of("10.0.0.1", 65535),
        new EgressOk());
  }
}
