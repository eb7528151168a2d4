package dev.teec.bench;

import dev.teec.cli.TeecVerify;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The batch path of {@code teec-verify doc} with {@code --jobs 1} and {@code --jobs 2}, in a warm
 * JVM: how well a batch uses the cores once the JVM has started and compiled the code, which a
 * whole-process timing ({@code bench/cli-batch.sh}) cannot separate from the serial start.
 *
 * <p>One operation is one whole {@code teec-verify doc --at document --allow-debug --jobs N}
 * command over {@value #FILES} files cycling through the real documents of {@code
 * teec.bench.realDir} (default {@value RealDocumentsBenchmark#REAL_DIR}), as {@code
 * bench/cli-batch.sh} makes them: picocli's parse of the arguments, a fresh verifier (so every
 * distinct chain is checked once per command, as in a real run), reading the files, verifying and
 * printing every report, in order, to a discarding writer. The score is per document
 * ({@code @OperationsPerInvocation}).
 *
 * <p>The setup runs the command once and fails unless it exits 0 with one {@code VERIFIED} line per
 * file, in input order.
 *
 * <p>The baseline, in the same run: {@code independentThreadsOne} and {@code
 * independentThreadsTwo}, Bouncy Castle's bare ES384 verification of the real documents'
 * signatures, each thread with its own keys and nothing shared. Its two-thread score over its
 * one-thread score is what this machine's two cores give to work that shares nothing; no batch can
 * scale better than that.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CliBatchBenchmark {
  /** The number of files in the batch, as in {@code bench/cli-batch.sh}. */
  static final int FILES = 2000;

  /** The batch's files and the command line over them. */
  @State(Scope.Benchmark)
  public static class Batch {
    /** The value of {@code --jobs}. */
    @Param({"1", "2"})
    public int jobs;

    private Path dir;
    private String[] args;

    /** Writes the files and checks one run of the command. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      List<Path> documents = RealDocumentsBenchmark.documentFiles();
      if (documents.isEmpty()) {
        throw new IllegalStateException(
            "no .cbor document in " + RealDocumentsBenchmark.realDir().toAbsolutePath());
      }
      dir = Files.createTempDirectory("teec-cli-batch");
      List<String> command =
          new ArrayList<>(List.of("doc", "--at", "document", "--allow-debug", "--jobs", "" + jobs));
      for (int i = 0; i < FILES; i++) {
        Path source = documents.get(i % documents.size());
        Path file = dir.resolve(String.format("d%04d-%s", i, source.getFileName()));
        Files.copy(source, file);
        command.add(file.toString());
      }
      args = command.toArray(String[]::new);

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = run(new PrintWriter(out), new PrintWriter(err));
      List<String> verdicts = out.toString().lines().filter(l -> !l.startsWith(" ")).toList();
      for (int i = 0; i < FILES; i++) {
        String expected = "VERIFIED  " + args[6 + i];
        if (i >= verdicts.size() || !verdicts.get(i).startsWith(expected)) {
          throw new IllegalStateException(
              "teec-verify doc exited "
                  + exit
                  + "; report "
                  + i
                  + " is not '"
                  + expected
                  + "...': "
                  + (i < verdicts.size() ? verdicts.get(i) : "missing")
                  + "\n"
                  + err);
        }
      }
      if (exit != 0 || verdicts.size() != FILES) {
        throw new IllegalStateException(
            "teec-verify doc exited " + exit + " with " + verdicts.size() + " reports\n" + err);
      }
    }

    /** Deletes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      try (Stream<Path> files = Files.walk(dir)) {
        files
            .sorted(Comparator.reverseOrder())
            .forEach(
                p -> {
                  try {
                    Files.delete(p);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
    }

    int run(PrintWriter out, PrintWriter err) {
      return TeecVerify.newCommandLine(Clock.systemUTC(), Map.of(), args)
          .setOut(out)
          .setErr(err)
          .execute(args);
    }
  }

  /** A thread's own copy of the real documents, their signatures and keys, for the baseline. */
  @State(Scope.Thread)
  public static class Own {
    final RealDocumentsBenchmark.Real real = new RealDocumentsBenchmark.Real();

    /** Reads and checks the documents and signatures ({@link RealDocumentsBenchmark.Real}). */
    @Setup(Level.Trial)
    public void setUp() throws IOException, GeneralSecurityException {
      real.setUp();
    }
  }

  /** The baseline on one thread: every document's COSE signature, with the thread's own keys. */
  @Benchmark
  @OperationsPerInvocation(RealDocumentsBenchmark.DOCUMENTS)
  public void independentThreadsOne(Own own, Blackhole bh) throws GeneralSecurityException {
    verifySignatures(own, bh);
  }

  /** The same on two threads at once; JMH reports their sum. */
  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(RealDocumentsBenchmark.DOCUMENTS)
  public void independentThreadsTwo(Own own, Blackhole bh) throws GeneralSecurityException {
    verifySignatures(own, bh);
  }

  private static void verifySignatures(Own own, Blackhole bh) throws GeneralSecurityException {
    for (int i = 0; i < RealDocumentsBenchmark.DOCUMENTS; i++) {
      bh.consume(own.real.bcVerify(own.real.bcKeys[i], i));
    }
  }

  /**
   * One {@code teec-verify doc --jobs N} command over the batch.
   *
   * @return the exit code, for JMH to consume
   */
  @Benchmark
  @OperationsPerInvocation(FILES)
  public int batch(Batch batch) {
    PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
    int exit = batch.run(discard, discard);
    if (exit != 0) {
      throw new IllegalStateException("teec-verify doc exited " + exit);
    }
    return exit;
  }
}
