package dev.teec.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Verifies a batch of documents on several threads and prints each verdict in input order, as soon
 * as all verdicts before it are printed. At most a few verdicts per thread wait unprinted, so
 * memory stays bounded however long the batch.
 */
final class InOrderBatch {
  /** Verdicts computed ahead of the one being printed, per thread. */
  private static final int AHEAD_PER_THREAD = 8;

  private InOrderBatch() {}

  /**
   * Runs {@code report} on every input with {@code threads} threads.
   *
   * @return the next step of the first rejected input, in input order; empty when every input was
   *     accepted
   * @throws JsonProcessingException as {@code report} does; any other failure of a report is
   *     rethrown as it was thrown, and nothing after the failed input is printed
   */
  static Optional<String> run(
      List<DocumentInput> inputs, int threads, VerifyDocCommand.Report report, PrintWriter out)
      throws JsonProcessingException {
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "teec-verify-" + names.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      Deque<Future<VerifyDocCommand.Verdict>> pending = new ArrayDeque<>();
      int next = 0;
      Optional<String> firstRejection = Optional.empty();
      while (next < inputs.size() || !pending.isEmpty()) {
        while (next < inputs.size() && pending.size() < threads * AHEAD_PER_THREAD) {
          DocumentInput input = inputs.get(next++);
          pending.add(pool.submit(() -> report.of(input)));
        }
        VerifyDocCommand.Verdict verdict = await(pending.removeFirst());
        firstRejection = firstRejection.or(verdict::next);
        print(out, verdict);
      }
      return firstRejection;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Prints one verdict with a single write, so that a report is never split across writes. */
  static void print(PrintWriter out, VerifyDocCommand.Verdict verdict) {
    out.print(verdict.text());
    out.flush();
  }

  private static VerifyDocCommand.Verdict await(Future<VerifyDocCommand.Verdict> future)
      throws JsonProcessingException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JsonProcessingException j) {
        throw j;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}
