package dev.teec.truststore.eif;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every single-byte change and every truncation of a small EIF is either rejected with an {@link
 * EifFormatException} or, where the byte is not covered by anything, measured to the same PCRs: the
 * reader never fails with another exception and never measures a changed image silently.
 */
class EifMutationTest {
  @TempDir Path dir;

  @Test
  void everyByteFlip_andEveryTruncation_isRejectedCleanly() throws Exception {
    Path kernel = Files.write(dir.resolve("k"), "kern".getBytes(StandardCharsets.US_ASCII));
    Path ramdisk = Files.write(dir.resolve("r"), new byte[] {1, 2, 3});
    Path eif = dir.resolve("small.eif");
    EifWriter.builder()
        .kernel(kernel)
        .cmdline("console=x")
        .addRamdisk(ramdisk)
        .addRamdisk(ramdisk)
        .metadata("{}".getBytes(StandardCharsets.US_ASCII))
        .build()
        .write(eif);
    byte[] original = Files.readAllBytes(eif);
    EifMeasurement reference = EifReader.measure(eif);

    List<String> problems = new ArrayList<>();
    for (int i = 0; i < original.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xff}) {
        byte[] mutated = original.clone();
        mutated[i] ^= (byte) mask;
        check(mutated, "flip " + mask + " at " + i, reference, problems);
      }
    }
    for (int length = 0; length < original.length; length++) {
      check(Arrays.copyOf(original, length), "truncated to " + length, reference, problems);
    }
    assertThat(problems).isEmpty();
  }

  private static void check(
      byte[] data, String what, EifMeasurement reference, List<String> problems) {
    try {
      EifMeasurement m = EifReader.measure(new ByteArrayInputStream(data), data.length);
      problems.add(
          what + ": accepted" + (m.pcrs().equals(reference.pcrs()) ? "" : " with other PCRs"));
    } catch (EifFormatException expected) {
      // rejected cleanly
    } catch (Exception | Error e) {
      problems.add(what + ": " + e);
    }
  }
}
