package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.teec.verifier.Bytes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The batch's ordering, overlap with reading, and failures, with reports that need no document. */
class InOrderBatchTest {
  private static final List<String> FILES = IntStream.range(0, 300).mapToObj(i -> "f" + i).toList();

  private static final Function<String, DocumentInput> READER =
      path -> new DocumentInput(path, DocumentInput.Encoding.RAW, Bytes.of(new byte[] {1}));

  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text);

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 8})
  void run_unevenReportTimes_printsEveryVerdictOnceInInputOrder(int threads) throws Exception {
    Set<String> threadNames = ConcurrentHashMap.newKeySet();
    VerifyDocCommand.Report report =
        input -> {
          threadNames.add(Thread.currentThread().getName());
          int n = number(input);
          // Early inputs take longest, so later ones are ready first.
          busy(n < 20 ? 2_000_000 : n % 7 * 20_000);
          return verdict(input, n % 5 == 3);
        };

    Optional<String> first =
        InOrderBatch.readInBackground(FILES, READER, threads).verify(report, out);

    assertThat(text.toString().lines().toList())
        .isEqualTo(FILES.stream().map(f -> "verdict " + f).toList());
    assertThat(first).contains("next f3");
    assertThat(threadNames).hasSizeLessThanOrEqualTo(threads);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void run_documentsAlreadyRead_areVerifiedWhileTheRestAreRead(int threads) throws Exception {
    CountDownLatch verified = new CountDownLatch(200);
    Function<String, DocumentInput> reader =
        path -> {
          if (path.equals("f250")) {
            // The reader stops here until 200 of the 250 documents before it are verified.
            try {
              if (!verified.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                    verified.getCount() + " of 200 not verified while the files were read");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
          }
          return READER.apply(path);
        };
    VerifyDocCommand.Report report =
        input -> {
          verified.countDown();
          return verdict(input, false);
        };

    InOrderBatch.readInBackground(FILES, reader, threads).verify(report, out);

    assertThat(text.toString().lines().toList())
        .isEqualTo(FILES.stream().map(f -> "verdict " + f).toList());
  }

  @Test
  void run_unreadableFile_printsNothing_andRethrowsTheReadersException() {
    RuntimeException unreadable = new IllegalArgumentException("f250: no such file");
    Function<String, DocumentInput> reader =
        path -> {
          if (path.equals("f250")) {
            throw unreadable;
          }
          return READER.apply(path);
        };
    VerifyDocCommand.Report report = input -> verdict(input, false);

    // The other thread verifies the files already read meanwhile; none of it is printed.
    assertThatThrownBy(() -> InOrderBatch.readInBackground(FILES, reader, 2).verify(report, out))
        .isSameAs(unreadable);
    assertThat(text.toString()).isEmpty();
  }

  @Test
  void run_failingReport_printsTheVerdictsBeforeIt_andRethrowsItsException() {
    IllegalStateException broken = new IllegalStateException("clock broken");
    VerifyDocCommand.Report report =
        input -> {
          if (number(input) == 117) {
            throw broken;
          }
          return verdict(input, false);
        };

    assertThatThrownBy(() -> InOrderBatch.readInBackground(FILES, READER, 4).verify(report, out))
        .isSameAs(broken);
    assertThat(text.toString().lines().toList())
        .isEqualTo(FILES.subList(0, 117).stream().map(f -> "verdict " + f).toList());
  }

  @Test
  void run_reportThrowingACheckedException_rethrowsItUnwrapped() {
    JsonProcessingException json = new JsonProcessingException("no JSON") {};
    VerifyDocCommand.Report report =
        input -> {
          throw json;
        };

    assertThatThrownBy(() -> InOrderBatch.readInBackground(FILES, READER, 2).verify(report, out))
        .isSameAs(json);
    assertThat(text.toString()).isEmpty();
  }

  private static int number(DocumentInput input) {
    return Integer.parseInt(input.path().substring(1));
  }

  private static VerifyDocCommand.Verdict verdict(DocumentInput input, boolean rejected) {
    return new VerifyDocCommand.Verdict(
        "verdict " + input.path() + "\n",
        rejected ? Optional.of("next " + input.path()) : Optional.empty());
  }

  /** Spends some CPU without sleeping, so that timing differs between inputs. */
  private static void busy(long iterations) {
    long x = 0;
    for (long i = 0; i < iterations; i++) {
      x += i ^ (x >>> 3);
    }
    if (x == 42) {
      throw new AssertionError("unreachable in practice");
    }
  }
}
