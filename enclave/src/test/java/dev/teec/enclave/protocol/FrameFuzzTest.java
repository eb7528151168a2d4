package dev.teec.enclave.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated and random input only ever yields a valid frame or a ProtocolException: no other
 * exception, no error, no hang. Seeded, so a failure reproduces.
 */
class FrameFuzzTest {

  private static final long SEED = 0x7eec_f00dL;
  private static final int ITERATIONS = 6000;

  private final FrameCodec codec = new FrameCodec();

  @Test
  void read_mutatedValidFrames_onlyProtocolExceptions() {
    Random random = new Random(SEED);
    List<byte[]> seeds =
        SampleFrames.all().stream()
            .filter(f -> !(f instanceof SourceChunk c && c.data().size() > 1000))
            .filter(f -> !(f instanceof BundleChunk))
            .map(codec::encode)
            .toList();
    Map<ErrorCode, Integer> codes = new EnumMap<>(ErrorCode.class);
    int decoded = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
      try {
        Frame frame = codec.read(new ByteArrayInputStream(input));
        assertThat(codec.read(new ByteArrayInputStream(codec.encode(frame)))).isEqualTo(frame);
        decoded++;
      } catch (ProtocolException e) {
        codes.merge(e.code(), 1, Integer::sum);
      } catch (Throwable t) {
        fail(
            "iteration "
                + i
                + " (seed "
                + SEED
                + ") threw "
                + t
                + " for input "
                + java.util.HexFormat.of().formatHex(input),
            t);
      }
    }
    // The mutations must reach well past the framing into CBOR and field validation.
    assertThat(codes)
        .containsKeys(
            ErrorCode.MALFORMED_FRAME,
            ErrorCode.PEER_GONE,
            ErrorCode.UNKNOWN_TYPE,
            ErrorCode.WRONG_TYPE,
            ErrorCode.INVALID_VALUE,
            ErrorCode.FRAME_TOO_LARGE);
    assertThat(decoded).isPositive();
  }

  @Test
  void read_randomBytes_onlyProtocolExceptions() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] body = new byte[random.nextInt(64)];
      random.nextBytes(body);
      if (body.length > 0) {
        // Mostly maps, so the decoder gets past the first byte.
        body[0] = (byte) (0xa0 | random.nextInt(8));
      }
      byte[] input = CborTestSupport.frame(body);
      try {
        codec.read(new ByteArrayInputStream(input));
      } catch (ProtocolException e) {
        assertThat(e.code()).isNotNull();
      } catch (Throwable t) {
        fail(
            "iteration " + i + " threw " + t + " for " + java.util.HexFormat.of().formatHex(input),
            t);
      }
    }
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    switch (random.nextInt(6)) {
      case 0:
        { // flip 1..8 bits anywhere, including the length prefix
          int flips = 1 + random.nextInt(8);
          for (int i = 0; i < flips; i++) {
            int bit = random.nextInt(b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
          }
          return b;
        }
      case 1:
        { // flip bits in the body only, keeping the length right
          int flips = 1 + random.nextInt(4);
          for (int i = 0; i < flips; i++) {
            int bit = 32 + random.nextInt((b.length - 4) * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
          }
          return b;
        }
      case 2:
        { // replace a body byte with an interesting CBOR head
          int[] heads = {
            0x00, 0x17, 0x18, 0x1b, 0x20, 0x3b, 0x40, 0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0, 0xbf,
            0xc0, 0xd9, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfb, 0xff
          };
          b[4 + random.nextInt(b.length - 4)] = (byte) heads[random.nextInt(heads.length)];
          return b;
        }
      case 3: // truncate
        return Arrays.copyOf(b, random.nextInt(b.length));
      case 4:
        { // shrink the body but keep the length right
          int cut = random.nextInt(b.length - 4);
          byte[] body = Arrays.copyOfRange(b, 4, 4 + cut);
          return CborTestSupport.frame(body);
        }
      default:
        { // random run of bytes over the body
          int start = 4 + random.nextInt(b.length - 4);
          int len = Math.min(b.length - start, 1 + random.nextInt(6));
          for (int i = 0; i < len; i++) {
            b[start + i] = (byte) random.nextInt(256);
          }
          return b;
        }
    }
  }
}
