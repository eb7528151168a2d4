package dev.teec.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * {@code --jobs 2} against {@code --jobs 1} in a warm JVM, measured in alternating rounds, with the
 * machine's own two-thread scaling measured in the same rounds.
 *
 * <p>On a virtual machine whose speed drifts for minutes at a time, JMH's trials (one benchmark
 * after the other) compare different speeds. Here each round times, a few seconds apart, one {@code
 * teec-verify doc --jobs 1} and one {@code --jobs 2} command over the 2000 files of {@link
 * CliBatchBenchmark}, and Bouncy Castle's bare ES384 verification of the real documents' signatures
 * on one thread and on two threads sharing nothing (each with its own keys); the order flips every
 * round. Each round's two ratios are printed, then their medians and quartiles.
 *
 * <p>Usage: {@code java [the CLI's JVM options] -cp bench/target/benchmarks.jar
 * dev.teec.bench.JobsScaling [ROUNDS]} (default 20, after 5 untimed rounds), from the repository
 * root; {@code -Dteec.bench.realDir=DIR} as for the JMH benchmarks.
 */
public final class JobsScaling {
  private static final int WARM_UP_ROUNDS = 5;

  /** Signature verifications per thread and round in the baseline: about as long as a command. */
  private static final int BASELINE_PASSES = 40;

  private JobsScaling() {}

  /**
   * Runs the rounds and prints the ratios.
   *
   * @param args optionally the number of timed rounds
   * @throws Exception if a setup check fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    CliBatchBenchmark.Batch one = batch(1);
    CliBatchBenchmark.Batch two = batch(2);
    RealDocumentsBenchmark.Real first = new RealDocumentsBenchmark.Real();
    RealDocumentsBenchmark.Real second = new RealDocumentsBenchmark.Real();
    first.setUp();
    second.setUp();
    PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
    double documents = CliBatchBenchmark.FILES;
    double signatures = BASELINE_PASSES * RealDocumentsBenchmark.DOCUMENTS;
    DoubleSupplier jobsOne = () -> documents / seconds(() -> check(one.run(discard, discard)));
    DoubleSupplier jobsTwo = () -> documents / seconds(() -> check(two.run(discard, discard)));
    DoubleSupplier threadOne = () -> signatures / seconds(() -> verifyAll(first));
    DoubleSupplier threadsTwo = () -> 2 * signatures / seconds(() -> inParallel(first, second));

    List<double[]> results = new ArrayList<>();
    System.out.printf(
        "round  jobs1/s  jobs2/s  ratio  |  1 thread/s  2 threads/s  ratio   (load %s)%n", load());
    for (int r = 0; r < WARM_UP_ROUNDS + rounds; r++) {
      double j1;
      double j2;
      double b1;
      double b2;
      if (r % 2 == 0) {
        j1 = jobsOne.getAsDouble();
        j2 = jobsTwo.getAsDouble();
        b1 = threadOne.getAsDouble();
        b2 = threadsTwo.getAsDouble();
      } else {
        b2 = threadsTwo.getAsDouble();
        b1 = threadOne.getAsDouble();
        j2 = jobsTwo.getAsDouble();
        j1 = jobsOne.getAsDouble();
      }
      if (r < WARM_UP_ROUNDS) {
        continue;
      }
      results.add(new double[] {j2 / j1, b2 / b1});
      System.out.printf(
          Locale.ROOT,
          "%5d  %7.0f  %7.0f  %5.2f  |  %10.0f  %11.0f  %5.2f%n",
          r - WARM_UP_ROUNDS + 1,
          j1,
          j2,
          j2 / j1,
          b1,
          b2,
          b2 / b1);
    }
    System.out.printf(
        Locale.ROOT,
        "--jobs 2 / --jobs 1: %s; two threads sharing nothing / one: %s   (load %s)%n",
        quartiles(results, 0),
        quartiles(results, 1),
        load());
    one.tearDown();
    two.tearDown();
  }

  private static CliBatchBenchmark.Batch batch(int jobs) throws Exception {
    CliBatchBenchmark.Batch batch = new CliBatchBenchmark.Batch();
    batch.jobs = jobs;
    batch.setUp();
    return batch;
  }

  private static void check(int exit) {
    if (exit != 0) {
      throw new IllegalStateException("teec-verify doc exited " + exit);
    }
  }

  private static double seconds(Runnable task) {
    long start = System.nanoTime();
    task.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static void verifyAll(RealDocumentsBenchmark.Real real) {
    try {
      for (int pass = 0; pass < BASELINE_PASSES; pass++) {
        for (int i = 0; i < RealDocumentsBenchmark.DOCUMENTS; i++) {
          if (!real.bcVerify(real.bcKeys[i], i)) {
            throw new IllegalStateException("baseline signature " + i + " does not verify");
          }
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void inParallel(RealDocumentsBenchmark.Real a, RealDocumentsBenchmark.Real b) {
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread other =
        new Thread(
            () -> {
              try {
                start.await();
                verifyAll(b);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.set(new IllegalStateException(e));
              } catch (RuntimeException e) {
                failure.set(e);
              }
            });
    other.start();
    start.countDown();
    verifyAll(a);
    try {
      other.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  private static String quartiles(List<double[]> results, int column) {
    double[] values = results.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "median %.2f (quartiles %.2f to %.2f, %d rounds, all %s)",
        at(values, 0.5),
        at(values, 0.25),
        at(values, 0.75),
        values.length,
        Arrays.toString(
            Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).toArray()));
  }

  private static double at(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int low = (int) Math.floor(position);
    int high = (int) Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
