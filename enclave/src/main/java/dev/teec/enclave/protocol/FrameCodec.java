package dev.teec.enclave.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Frames to bytes and back (SPEC.md W8.1-W8.3): a 4-byte big-endian body length, then the body, one
 * CBOR map with a {@code type} field. Immutable and thread-safe.
 *
 * <p>Guarantees: encoding is deterministic (same frame, same bytes). Decoding is strict and total:
 * any input either yields a valid {@link Frame} (every record invariant holds) or throws {@link
 * ProtocolException} with a code saying what was wrong; a declared length above the limit is
 * refused before anything is allocated, and a frame never reads past its own end, so the bytes
 * after a frame stay in the stream (the egress channel relies on that).
 */
public final class FrameCodec {

  private static final int HEADER_BYTES = 4;
  private static final int MIN_FRAME_LIMIT = 64;

  private final int maxFrameBytes;
  private final FrameCbor cbor = new FrameCbor();

  /** A codec with the protocol's frame limit, {@link Protocol#MAX_FRAME_BYTES}. */
  public FrameCodec() {
    this(Protocol.MAX_FRAME_BYTES);
  }

  /**
   * A codec refusing frame bodies longer than {@code maxFrameBytes}, for channels that only carry
   * small frames (the egress forwarder reads its header with a 4 KiB limit).
   *
   * @param maxFrameBytes 64..{@link Protocol#MAX_FRAME_BYTES}
   */
  public FrameCodec(int maxFrameBytes) {
    if (maxFrameBytes < MIN_FRAME_LIMIT || maxFrameBytes > Protocol.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be in "
              + MIN_FRAME_LIMIT
              + ".."
              + Protocol.MAX_FRAME_BYTES
              + ", got "
              + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The largest frame body this codec reads or writes. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * The complete frame: length prefix and body.
   *
   * @throws IllegalArgumentException if the body would exceed {@link #maxFrameBytes()} (possible
   *     only with a reduced limit: every valid frame fits {@link Protocol#MAX_FRAME_BYTES})
   */
  public byte[] encode(Frame frame) {
    byte[] body = cbor.write(toMap(frame));
    if (body.length > maxFrameBytes) {
      throw new IllegalArgumentException(
          frame.frameType().wireName()
              + " frame body has "
              + body.length
              + " bytes, this codec's limit is "
              + maxFrameBytes);
    }
    byte[] out = new byte[HEADER_BYTES + body.length];
    out[0] = (byte) (body.length >>> 24);
    out[1] = (byte) (body.length >>> 16);
    out[2] = (byte) (body.length >>> 8);
    out[3] = (byte) body.length;
    System.arraycopy(body, 0, out, HEADER_BYTES, body.length);
    return out;
  }

  /** Decodes one frame body (without its length prefix). */
  public Frame decode(byte[] body) throws ProtocolException {
    if (body.length == 0) {
      throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "frame body is empty");
    }
    if (body.length > maxFrameBytes) {
      throw new ProtocolException(
          ErrorCode.FRAME_TOO_LARGE,
          "frame body has " + body.length + " bytes, the limit is " + maxFrameBytes);
    }
    Map<String, Object> map = cbor.read(body);
    String typeName = new Fields(map, "frame").text("type");
    FrameType type =
        FrameType.fromWireName(typeName)
            .orElseThrow(
                () ->
                    new ProtocolException(
                        ErrorCode.UNKNOWN_TYPE,
                        "unknown frame type \"" + FieldCheck.abbreviate(typeName) + "\""));
    try {
      return fromFields(type, new Fields(map, type.wireName()));
    } catch (FrameValidationException e) {
      throw new ProtocolException(e.code(), e.getMessage(), e);
    }
  }

  /**
   * Reads exactly one frame from {@code in}, consuming nothing after it.
   *
   * @throws PeerGoneException if the stream ends (between frames, or inside one: then {@link
   *     PeerGoneException#midFrame()} is true) or fails
   * @throws ProtocolException for a frame that is too large, empty or malformed; the stream is then
   *     out of step and must be closed
   */
  public Frame read(InputStream in) throws ProtocolException {
    byte[] header = new byte[HEADER_BYTES];
    int got = 0;
    try {
      while (got < HEADER_BYTES) {
        int n = in.read(header, got, HEADER_BYTES - got);
        if (n < 0) {
          break;
        }
        got += n;
      }
    } catch (IOException e) {
      throw new PeerGoneException(
          "reading a frame length failed after " + got + " of 4 bytes: " + e, got > 0, e);
    }
    if (got == 0) {
      throw new PeerGoneException("connection closed between frames", false, null);
    }
    if (got < HEADER_BYTES) {
      throw new PeerGoneException(
          "connection closed after " + got + " of 4 frame length bytes", true, null);
    }
    long length =
        ((header[0] & 0xFFL) << 24)
            | ((header[1] & 0xFF) << 16)
            | ((header[2] & 0xFF) << 8)
            | (header[3] & 0xFF);
    if (length == 0) {
      throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "frame length is 0");
    }
    if (length > maxFrameBytes) {
      throw new ProtocolException(
          ErrorCode.FRAME_TOO_LARGE,
          "frame length " + length + " exceeds the limit of " + maxFrameBytes + " bytes");
    }
    byte[] body;
    try {
      // readNBytes grows its buffer with the data actually received, so a peer announcing a
      // large frame and sending nothing does not make us allocate it.
      body = in.readNBytes((int) length);
    } catch (IOException e) {
      throw new PeerGoneException("reading a " + length + "-byte frame body failed: " + e, true, e);
    }
    if (body.length < length) {
      throw new PeerGoneException(
          "connection closed after " + body.length + " of " + length + " frame body bytes",
          true,
          null);
    }
    return decode(body);
  }

  /**
   * Writes one frame and flushes. Concurrent calls on the same {@code out} never interleave their
   * bytes: the frame is encoded first and written while holding {@code out}'s monitor.
   *
   * @throws PeerGoneException if writing fails (the peer closed or reset the connection)
   */
  public void write(OutputStream out, Frame frame) throws PeerGoneException {
    byte[] bytes = encode(frame);
    synchronized (out) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new PeerGoneException(
            "writing a " + frame.frameType().wireName() + " frame failed: " + e, false, e);
      }
    }
  }

  private static Map<String, Object> toMap(Frame frame) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", frame.frameType().wireName());
    if (frame instanceof ClientHello f) {
      m.put("protocol_version", f.protocolVersion());
      m.put("client_name", f.clientName());
    } else if (frame instanceof WorkerHello f) {
      m.put("protocol_version", f.protocolVersion());
      m.put("worker_name", f.workerName());
      m.put("capabilities", f.capabilities());
      m.put("mode", wireName(f.mode()));
    } else if (frame instanceof BuildRequest f) {
      m.put("build_json", f.buildJson());
      m.put("nonce", f.nonce());
      m.put("source_archive_size", f.sourceArchiveSize());
      m.put("source_archive_sha256", f.sourceArchiveSha256());
      SourceMetadata s = f.sourceMetadata();
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("uri", s.uri());
      meta.put("commit", s.commit());
      meta.put("tree", s.tree());
      meta.put("path", s.path());
      meta.put("dirty", s.dirty());
      meta.put("commit_time", s.commitTime());
      meta.put("commit_object", s.commitObject());
      meta.put("tree_objects", (long) s.treeObjects());
      m.put("source_metadata", meta);
    } else if (frame instanceof TreeObject f) {
      m.put("data", f.data());
    } else if (frame instanceof SourceChunk f) {
      m.put("data", f.data());
    } else if (frame instanceof LogLine f) {
      m.put("stream", wireName(f.stream()));
      m.put("line", f.line());
    } else if (frame instanceof Phase f) {
      m.put("phase", wireName(f.phase()));
    } else if (frame instanceof BundleStart f) {
      m.put("size", f.size());
      m.put("sha256", f.sha256());
    } else if (frame instanceof BundleChunk f) {
      m.put("data", f.data());
    } else if (frame instanceof Result f) {
      m.put("success", f.success());
      m.put("exit_code", f.exitCode());
      m.put("message", f.message());
    } else if (frame instanceof ErrorFrame f) {
      m.put("code", f.code().wireName());
      m.put("message", f.message());
    } else if (frame instanceof EgressOpen f) {
      m.put("protocol_version", f.protocolVersion());
      m.put("host", f.host());
      m.put("port", f.port());
    }
    // SourceEnd, BundleEnd and EgressOk carry nothing but their type.
    return m;
  }

  private static Frame fromFields(FrameType type, Fields f) throws ProtocolException {
    switch (type) {
      case CLIENT_HELLO:
        checkVersion(f);
        f.only(Set.of("type", "protocol_version", "client_name"));
        return new ClientHello(Protocol.VERSION, f.text("client_name"));
      case WORKER_HELLO:
        checkVersion(f);
        f.only(Set.of("type", "protocol_version", "worker_name", "capabilities", "mode"));
        return new WorkerHello(
            Protocol.VERSION,
            f.text("worker_name"),
            f.textList("capabilities"),
            f.enumValue("mode", WorkerMode.class));
      case BUILD_REQUEST:
        {
          f.only(
              Set.of(
                  "type",
                  "build_json",
                  "nonce",
                  "source_archive_size",
                  "source_archive_sha256",
                  "source_metadata"));
          ByteString buildJson = f.bytes("build_json");
          ByteString nonce = f.bytes("nonce");
          long size = f.integer("source_archive_size", 0, Protocol.MAX_SOURCE_BYTES);
          ByteString sha256 = f.bytes("source_archive_sha256");
          Fields s = f.map("source_metadata");
          s.only(
              Set.of(
                  "uri",
                  "commit",
                  "tree",
                  "path",
                  "dirty",
                  "commit_time",
                  "commit_object",
                  "tree_objects"));
          SourceMetadata meta =
              new SourceMetadata(
                  s.nullableText("uri"),
                  s.nullableText("commit"),
                  s.nullableText("tree"),
                  s.nullableText("path"),
                  s.bool("dirty"),
                  s.nullableInteger("commit_time", 0, Protocol.MAX_COMMIT_TIME),
                  s.nullableBytes("commit_object"),
                  (int) s.integer("tree_objects", 0, Protocol.MAX_TREE_OBJECTS));
          return new BuildRequest(buildJson, nonce, size, sha256, meta);
        }
      case TREE_OBJECT:
        f.only(Set.of("type", "data"));
        return new TreeObject(f.bytes("data"));
      case SOURCE_CHUNK:
        f.only(Set.of("type", "data"));
        return new SourceChunk(f.bytes("data"));
      case SOURCE_END:
        f.only(Set.of("type"));
        return new SourceEnd();
      case LOG:
        f.only(Set.of("type", "stream", "line"));
        return new LogLine(f.enumValue("stream", LogStream.class), f.text("line"));
      case PHASE:
        f.only(Set.of("type", "phase"));
        return new Phase(f.enumValue("phase", BuildPhase.class));
      case BUNDLE_START:
        f.only(Set.of("type", "size", "sha256"));
        return new BundleStart(f.integer("size", 0, Protocol.MAX_BUNDLE_BYTES), f.bytes("sha256"));
      case BUNDLE_CHUNK:
        f.only(Set.of("type", "data"));
        return new BundleChunk(f.bytes("data"));
      case BUNDLE_END:
        f.only(Set.of("type"));
        return new BundleEnd();
      case RESULT:
        {
          f.only(Set.of("type", "success", "exit_code", "message"));
          boolean success = f.bool("success");
          Long exitCode = f.nullableInteger("exit_code", 0, 255);
          return new Result(
              success, exitCode == null ? null : exitCode.intValue(), f.text("message"));
        }
      case ERROR:
        f.only(Set.of("type", "code", "message"));
        return new ErrorFrame(f.enumValue("code", ErrorCode.class), f.text("message"));
      case EGRESS_OPEN:
        checkVersion(f);
        f.only(Set.of("type", "protocol_version", "host", "port"));
        return new EgressOpen(Protocol.VERSION, f.text("host"), (int) f.integer("port", 1, 65535));
      case EGRESS_OK:
        f.only(Set.of("type"));
        return new EgressOk();
      default:
        throw new IllegalStateException("no decoder for " + type);
    }
  }

  /**
   * Hellos and egress requests are checked for their version before anything else, so a peer
   * speaking another version hears "unsupported version" even if its frame has other fields.
   */
  private static void checkVersion(Fields f) throws ProtocolException {
    long version = f.integer("protocol_version", 1, 65535);
    if (version != Protocol.VERSION) {
      throw new ProtocolException(
          ErrorCode.UNSUPPORTED_VERSION,
          "peer speaks protocol version "
              + version
              + ", this side speaks only "
              + Protocol.VERSION);
    }
  }

  private static String wireName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
