package dev.teec.enclave.protocol;

import static dev.teec.enclave.protocol.CborTestSupport.cbor;
import static dev.teec.enclave.protocol.CborTestSupport.frame;
import static dev.teec.enclave.protocol.CborTestSupport.hex;
import static dev.teec.enclave.protocol.CborTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

  private final FrameCodec codec = new FrameCodec();

  static Stream<Frame> samples() {
    return SampleFrames.all().stream();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void roundTrip_everySampleFrame_decodesToEqualFrame(Frame frame) throws Exception {
    byte[] encoded = codec.encode(frame);

    Frame decoded = codec.read(new ByteArrayInputStream(encoded));

    assertThat(decoded).isEqualTo(frame);
    assertThat(codec.encode(decoded)).isEqualTo(encoded);
    assertThat(encoded.length - 4).isLessThanOrEqualTo(Protocol.MAX_FRAME_BYTES);
  }

  @Test
  void samples_coverEveryFrameType() {
    assertThat(SampleFrames.all().stream().map(Frame::frameType).distinct())
        .containsExactlyInAnyOrder(FrameType.values());
  }

  @Test
  void encode_clientHello_isPinned() {
    byte[] encoded = codec.encode(ClientHello.of("teec"));

    assertThat(HexFormat.of().formatHex(encoded))
        .isEqualTo(
            "00000036"
                + "a3"
                + "64"
                + "74797065"
                + "6c"
                + "636c69656e745f68656c6c6f"
                + "70"
                + "70726f746f636f6c5f76657273696f6e"
                + "02"
                + "6b"
                + "636c69656e745f6e616d65"
                + "64"
                + "74656563");
  }

  @Test
  void encode_bundleStart_isPinned() {
    byte[] encoded = codec.encode(new BundleStart(1_000_000, SampleFrames.SHA));

    assertThat(HexFormat.of().formatHex(encoded))
        .isEqualTo(
            "00000046"
                + "a3"
                + "64"
                + "74797065"
                + "6c"
                + "62756e646c655f7374617274"
                + "64"
                + "73697a65"
                + "1a000f4240"
                + "66"
                + "736861323536"
                + "5820"
                + SampleFrames.SHA.hex());
  }

  @Test
  void encode_longText_usesDefiniteLength() {
    byte[] encoded = codec.encode(new LogLine(LogStream.STDOUT, "y".repeat(10_000)));

    // ... "line" then 0x79 (text, 2-byte length) 0x2710, never an indefinite-length 0x7f.
    assertThat(HexFormat.of().formatHex(encoded))
        .contains("646c696e65792710")
        .doesNotContain("6c696e657f");
  }

  @Test
  void read_emptyStream_isPeerGoneBetweenFrames() {
    assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(new byte[0])))
        .isInstanceOfSatisfying(
            PeerGoneException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PEER_GONE);
              assertThat(e.midFrame()).isFalse();
            });
  }

  @Test
  void read_truncatedLength_isPeerGoneMidFrame() {
    assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(new byte[] {0, 0})))
        .isInstanceOfSatisfying(
            PeerGoneException.class,
            e -> {
              assertThat(e.midFrame()).isTrue();
              assertThat(e).hasMessageContaining("2 of 4");
            });
  }

  @Test
  void read_truncatedBody_isPeerGoneMidFrame() {
    byte[] whole = codec.encode(new SourceEnd());
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 1);

    assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(truncated)))
        .isInstanceOfSatisfying(PeerGoneException.class, e -> assertThat(e.midFrame()).isTrue());
  }

  @Test
  void read_failingStream_isPeerGone() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("Connection reset");
          }
        };

    assertThatThrownBy(() -> codec.read(failing))
        .isInstanceOf(PeerGoneException.class)
        .hasMessageContaining("Connection reset");
  }

  @Test
  void read_lengthAboveLimit_isRefusedBeforeReadingTheBody() {
    CountingInputStream in =
        new CountingInputStream(
            new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});

    assertThatThrownBy(() -> codec.read(in))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE))
        .hasMessageContaining("4294967295");
    assertThat(in.consumed).isEqualTo(4);
  }

  @Test
  void read_lengthJustAboveLimit_isFrameTooLarge() {
    byte[] header = {0, 0x10, 0, 1};

    assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(header)))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
  }

  @Test
  void read_smallerCodecLimit_isEnforced() {
    byte[] big = codec.encode(new LogLine(LogStream.STDOUT, "z".repeat(200)));

    assertThatThrownBy(() -> new FrameCodec(64).read(new ByteArrayInputStream(big)))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
  }

  @Test
  void read_zeroLength_isMalformed() {
    assertCode(new byte[] {0, 0, 0, 0}, ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void read_leavesBytesAfterTheFrameInTheStream() throws Exception {
    byte[] frame = codec.encode(new EgressOk());
    byte[] withTail = java.util.Arrays.copyOf(frame, frame.length + 3);
    withTail[frame.length] = 'a';
    ByteArrayInputStream in = new ByteArrayInputStream(withTail);

    assertThat(codec.read(in)).isEqualTo(new EgressOk());
    assertThat(in.readAllBytes()).containsExactly('a', 0, 0);
  }

  @Test
  void decode_badCbor_isMalformed() {
    assertCode(frame(hex("a1 64 74797065 ff")), ErrorCode.MALFORMED_FRAME);
    assertCode(frame(hex("1c")), ErrorCode.MALFORMED_FRAME);
    assertCode(frame(hex("a1 61 61 c3 28")), ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void decode_invalidUtf8_isMalformed() {
    assertCode(frame(hex("a1 64 74797065 62 c328")), ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void decode_notAMap_isMalformed() {
    assertCode(frame(hex("83 01 02 03")), ErrorCode.MALFORMED_FRAME);
    assertCode(frame(hex("64 74797065")), ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void decode_trailingBytesAfterTheMap_isMalformed() {
    byte[] body = cbor(map("type", "source_end"));
    byte[] withTrailing = java.util.Arrays.copyOf(body, body.length + 1);

    assertCode(frame(withTrailing), ErrorCode.MALFORMED_FRAME);
    byte[] twoMaps = new byte[body.length * 2];
    System.arraycopy(body, 0, twoMaps, 0, body.length);
    System.arraycopy(body, 0, twoMaps, body.length, body.length);
    assertCode(frame(twoMaps), ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void decode_duplicateKey_isMalformed() {
    assertCode(
        frame(hex("a2 64 74797065 6a 736f757263655f656e64 64 74797065 6a 736f757263655f656e64")),
        ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void decode_tags_areMalformed() {
    // {"type": 0("source_end")}, tag on a key, and the stringref namespace tag 256 on the map.
    assertCode(frame(hex("a1 64 74797065 c0 6a 736f757263655f656e64")), ErrorCode.MALFORMED_FRAME);
    assertCode(frame(hex("a1 c1 64 74797065 6a 736f757263655f656e64")), ErrorCode.MALFORMED_FRAME);
    assertCode(
        frame(hex("d90100 a1 64 74797065 6a 736f757263655f656e64")), ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void decode_deepNesting_isMalformed() {
    assertCode(
        frame(
            hex(
                "a2 64 74797065 6a 736f757263655f656e64 61 78 a1 61 61 a1 61 62 a1 61 63 a1 61 64 01")),
        ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void decode_tooManyMapEntries_isLimitExceeded() {
    Map<String, Object> map = map("type", "source_end");
    for (int i = 0; i < 20; i++) {
      map.put("k" + i, i);
    }

    assertCode(frame(cbor(map)), ErrorCode.LIMIT_EXCEEDED);
  }

  @Test
  void decode_hugeDeclaredLengthsInsideTheFrame_areMalformedWithoutAllocating() {
    assertCode(frame(hex("a1 64 74797065 5a 7fffffff 00")), ErrorCode.MALFORMED_FRAME);
    assertCode(frame(hex("bb 7fffffffffffffff 64 74797065")), ErrorCode.MALFORMED_FRAME);
    assertCode(frame(hex("a1 64 74797065 9b 7fffffffffffffff")), ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void decode_unknownType_isUnknownType() {
    assertCode(frame(cbor(map("type", "launch_missiles"))), ErrorCode.UNKNOWN_TYPE);
  }

  @Test
  void decode_missingOrNonTextType_isMissingOrWrongType() {
    assertCode(frame(cbor(map("data", new byte[] {1}))), ErrorCode.MISSING_FIELD);
    assertCode(frame(cbor(map("type", 7))), ErrorCode.WRONG_TYPE);
  }

  @Test
  void decode_unknownField_isUnknownFieldNamingIt() {
    assertThatThrownBy(() -> decode(cbor(map("type", "source_end", "extra", 1))))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FIELD))
        .hasMessageContaining("\"extra\"");
  }

  @Test
  void decode_unknownNestedField_isUnknownFieldWithItsPath() {
    Map<String, Object> request = buildRequestMap();
    metadata(request).put("branch", "main");

    assertThatThrownBy(() -> decode(cbor(request)))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FIELD))
        .hasMessageContaining("build_request.source_metadata")
        .hasMessageContaining("\"branch\"");
  }

  @Test
  void decode_missingField_isMissingFieldNamingIt() {
    Map<String, Object> request = buildRequestMap();
    request.remove("nonce");

    assertThatThrownBy(() -> decode(cbor(request)))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FIELD))
        .hasMessageContaining("build_request.nonce");
  }

  @Test
  void decode_missingNullableField_isStillMissing() {
    Map<String, Object> request = buildRequestMap();
    metadata(request).remove("commit_time");

    assertCode(frame(cbor(request)), ErrorCode.MISSING_FIELD);
  }

  @Test
  void decode_wrongTypes_areWrongType() {
    assertCode(
        frame(
            cbor(
                map(
                    "type",
                    "egress_open",
                    "protocol_version",
                    Protocol.VERSION,
                    "host",
                    "a.org",
                    "port",
                    "443"))),
        ErrorCode.WRONG_TYPE);
    assertCode(
        frame(
            cbor(
                map(
                    "type",
                    "egress_open",
                    "protocol_version",
                    Protocol.VERSION,
                    "host",
                    "a.org",
                    "port",
                    443.0))),
        ErrorCode.WRONG_TYPE);
    assertCode(
        frame(cbor(map("type", "source_chunk", "data", "text, not bytes"))), ErrorCode.WRONG_TYPE);
    assertCode(
        frame(cbor(map("type", "log", "stream", "stdout", "line", null))), ErrorCode.WRONG_TYPE);
    assertCode(
        frame(cbor(map("type", "result", "success", 1, "exit_code", 0, "message", ""))),
        ErrorCode.WRONG_TYPE);
    assertCode(
        frame(
            cbor(
                map(
                    "type",
                    "worker_hello",
                    "protocol_version",
                    Protocol.VERSION,
                    "worker_name",
                    "w",
                    "capabilities",
                    List.of("c", 3),
                    "mode",
                    "nitro"))),
        ErrorCode.WRONG_TYPE);
    Map<String, Object> request = buildRequestMap();
    request.put("source_metadata", "none");
    assertCode(frame(cbor(request)), ErrorCode.WRONG_TYPE);
  }

  @Test
  void decode_simpleValuesAndUndefined_areWrongType() {
    // {"type": "source_chunk", "data": simple(16)} and ... undefined
    assertCode(
        frame(hex("a2 64 74797065 6c 736f757263655f6368756e6b 64 64617461 f0")),
        ErrorCode.WRONG_TYPE);
    assertCode(
        frame(hex("a2 64 74797065 6c 736f757263655f6368756e6b 64 64617461 f7")),
        ErrorCode.WRONG_TYPE);
  }

  @Test
  void decode_negativeSizes_areInvalidValue() {
    assertCode(
        frame(cbor(map("type", "bundle_start", "size", -1, "sha256", SampleFrames.SHA.toArray()))),
        ErrorCode.INVALID_VALUE);
    Map<String, Object> request = buildRequestMap();
    request.put("source_archive_size", -5);
    assertCode(frame(cbor(request)), ErrorCode.INVALID_VALUE);
  }

  @Test
  void decode_sizesAboveLimits_areLimitExceeded() {
    assertCode(
        frame(
            cbor(
                map(
                    "type",
                    "bundle_start",
                    "size",
                    Protocol.MAX_BUNDLE_BYTES + 1,
                    "sha256",
                    SampleFrames.SHA.toArray()))),
        ErrorCode.LIMIT_EXCEEDED);
    assertCode(
        frame(
            cbor(
                map(
                    "type",
                    "bundle_start",
                    "size",
                    new BigInteger("18446744073709551615"),
                    "sha256",
                    SampleFrames.SHA.toArray()))),
        ErrorCode.LIMIT_EXCEEDED);
    Map<String, Object> request = buildRequestMap();
    request.put("source_archive_size", Protocol.MAX_SOURCE_BYTES + 1);
    assertCode(frame(cbor(request)), ErrorCode.LIMIT_EXCEEDED);
  }

  @Test
  void decode_oversizeChunk_isLimitExceeded() {
    byte[] data = new byte[Protocol.MAX_CHUNK_BYTES + 1];

    assertThatThrownBy(() -> decode(cbor(map("type", "source_chunk", "data", data))))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("source_chunk.data");
  }

  @Test
  void decode_emptyChunk_isInvalidValue() {
    assertCode(
        frame(cbor(map("type", "bundle_chunk", "data", new byte[0]))), ErrorCode.INVALID_VALUE);
  }

  @Test
  void decode_badFieldValues_areInvalidValue() {
    Map<String, Object> shortNonce = buildRequestMap();
    shortNonce.put("nonce", new byte[15]);
    assertCode(frame(cbor(shortNonce)), ErrorCode.INVALID_VALUE);
    Map<String, Object> badSha = buildRequestMap();
    badSha.put("source_archive_sha256", new byte[31]);
    assertCode(frame(cbor(badSha)), ErrorCode.INVALID_VALUE);
    Map<String, Object> badCommit = buildRequestMap();
    metadata(badCommit).put("commit", "ABCDEF");
    assertCode(frame(cbor(badCommit)), ErrorCode.INVALID_VALUE);
    assertCode(frame(cbor(map("type", "phase", "phase", "deploying"))), ErrorCode.INVALID_VALUE);
    assertCode(
        frame(cbor(map("type", "log", "stream", "STDOUT", "line", "x"))), ErrorCode.INVALID_VALUE);
    assertCode(
        frame(cbor(map("type", "error", "code", "peer_gone", "message", "x"))),
        ErrorCode.INVALID_VALUE);
    assertCode(
        frame(cbor(map("type", "error", "code", "no_such_code", "message", "x"))),
        ErrorCode.INVALID_VALUE);
    assertCode(
        frame(cbor(map("type", "result", "success", true, "exit_code", 1, "message", ""))),
        ErrorCode.INVALID_VALUE);
    assertCode(
        frame(
            cbor(
                map(
                    "type",
                    "egress_open",
                    "protocol_version",
                    Protocol.VERSION,
                    "host",
                    "Example.ORG",
                    "port",
                    443))),
        ErrorCode.INVALID_VALUE);
    assertCode(
        frame(
            cbor(
                map(
                    "type",
                    "egress_open",
                    "protocol_version",
                    Protocol.VERSION,
                    "host",
                    "a.org",
                    "port",
                    0))),
        ErrorCode.INVALID_VALUE);
    assertCode(
        frame(
            cbor(
                map(
                    "type",
                    "client_hello",
                    "protocol_version",
                    Protocol.VERSION,
                    "client_name",
                    "a\nb"))),
        ErrorCode.INVALID_VALUE);
  }

  @Test
  void decode_otherProtocolVersion_isUnsupportedVersionEvenWithNewFields() {
    assertThatThrownBy(
            () ->
                decode(
                    cbor(
                        map(
                            "type",
                            "client_hello",
                            "protocol_version",
                            3,
                            "client_name",
                            "x",
                            "features",
                            List.of("zstd")))))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION))
        .hasMessageContaining("version 3");
    // A client of the version before source claims existed is told, not misread.
    assertThatThrownBy(
            () ->
                decode(
                    cbor(map("type", "client_hello", "protocol_version", 1, "client_name", "x"))))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION))
        .hasMessageContaining("version 1, this side speaks only 2");
    assertCode(
        frame(
            cbor(map("type", "egress_open", "protocol_version", 9, "host", "a.org", "port", 443))),
        ErrorCode.UNSUPPORTED_VERSION);
  }

  @Test
  void write_concurrentWriters_neverInterleaveFrames() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 200; i++) {
                  codec.write(
                      out,
                      new LogLine(LogStream.STDOUT, thread + ":" + i + ":" + "p".repeat(i * 7)));
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();

    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    int count = 0;
    while (in.available() > 0) {
      assertThat(codec.read(in)).isInstanceOf(LogLine.class);
      count++;
    }
    assertThat(count).isEqualTo(800);
  }

  @Test
  void encode_aboveReducedLimit_isRefused() {
    assertThatThrownBy(
            () -> new FrameCodec(64).encode(new LogLine(LogStream.STDOUT, "q".repeat(100))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit is 64");
  }

  private static Map<String, Object> buildRequestMap() {
    return map(
        "type",
        "build_request",
        "build_json",
        new byte[] {'{', '}'},
        "nonce",
        new byte[16],
        "source_archive_size",
        10,
        "source_archive_sha256",
        SampleFrames.SHA.toArray(),
        "source_metadata",
        map(
            "uri",
            null,
            "commit",
            null,
            "tree",
            null,
            "path",
            null,
            "dirty",
            false,
            "commit_time",
            null,
            "commit_object",
            null,
            "tree_objects",
            0));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> request) {
    return (Map<String, Object>) request.get("source_metadata");
  }

  private Frame decode(byte[] body) throws ProtocolException {
    return codec.read(new ByteArrayInputStream(frame(body)));
  }

  private void assertCode(byte[] wholeFrame, ErrorCode code) {
    assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wholeFrame)))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static final class CountingInputStream extends ByteArrayInputStream {
    int consumed;

    CountingInputStream(byte[] data) {
      super(data);
    }

    @Override
    public synchronized int read() {
      int b = super.read();
      if (b >= 0) {
        consumed++;
      }
      return b;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      int n = super.read(b, off, len);
      if (n > 0) {
        consumed += n;
      }
      return n;
    }
  }
}
