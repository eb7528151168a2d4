package dev.teec.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Verifies a batch of documents on several threads and prints each verdict in input order, as soon
 * as all verdicts before it are printed.
 *
 * <p>A thread of its own reads the files in order, from {@link #readInBackground} on, while the
 * caller prepares the verification; the verifying threads then verify each document as soon as it
 * is read, while the rest are still being read. Nothing is printed before every file has been read,
 * so an unreadable file still ends the command with no output. A document is dropped once claimed
 * and its verdict once printed, so until then the batch holds, for each file, its document or its
 * report, never both for long. Whichever thread completes the verdict that is next in order prints
 * it and the ready ones after it; the others never wait for the printing.
 */
final class InOrderBatch {
  private final List<String> files;
  private final Function<String, DocumentInput> reader;
  private final int threads;
  private final DocumentInput[] inputs;

  // Set once, by verify, before any thread verifies.
  private VerifyDocCommand.Report report;
  private PrintWriter out;

  /** The next input a thread may claim. */
  private final AtomicInteger next = new AtomicInteger();

  // Guarded by this. A verdict, or what its report threw, by input; null until then and once
  // printed.
  private final Object[] ready;

  /** The number of files read; printing starts once it is all of them. */
  private int read;

  private int printed;
  private boolean printing;
  private Throwable failure;
  private Optional<String> firstRejection = Optional.empty();

  private InOrderBatch(List<String> files, Function<String, DocumentInput> reader, int threads) {
    this.files = files;
    this.reader = reader;
    this.threads = threads;
    this.inputs = new DocumentInput[files.size()];
    this.ready = new Object[files.size()];
  }

  /**
   * Starts reading every file with {@code reader}, in order, on a thread of its own, for a batch of
   * {@code threads} verifying threads (see {@link #verify}). A batch that is never verified reads
   * to the end or to its first unreadable file and prints nothing.
   */
  static InOrderBatch readInBackground(
      List<String> files, Function<String, DocumentInput> reader, int threads) {
    InOrderBatch batch = new InOrderBatch(files, reader, threads);
    Thread t = new Thread(batch::readAll, "teec-verify-read");
    t.setDaemon(true);
    t.start();
    return batch;
  }

  /**
   * Runs {@code report} on every input with the batch's threads, the calling one included, and
   * prints the verdicts to {@code out}.
   *
   * @return the next step of the first rejected input, in input order; empty when every input was
   *     accepted
   * @throws JsonProcessingException as {@code report} does; any other failure of a report, or of
   *     the reader, is rethrown as it was thrown. A failed read prints nothing; after a failed
   *     report, nothing from the failed input on is printed
   */
  Optional<String> verify(VerifyDocCommand.Report report, PrintWriter out)
      throws JsonProcessingException {
    synchronized (this) {
      this.report = report;
      this.out = out;
    }
    List<Thread> helpers = new ArrayList<>(threads - 1);
    for (int i = 1; i < threads; i++) {
      Thread t = new Thread(this::verifyAll, "teec-verify-" + i);
      t.setDaemon(true);
      helpers.add(t);
      t.start();
    }
    try {
      verifyAll();
      awaitEnd();
    } finally {
      for (Thread t : helpers) {
        t.interrupt();
      }
    }
    Throwable f;
    synchronized (this) {
      f = failure;
    }
    if (f != null) {
      rethrow(f);
    }
    return firstRejection;
  }

  /** Prints one verdict with a single write, so that a report is never split across writes. */
  static void print(PrintWriter out, VerifyDocCommand.Verdict verdict) {
    out.print(verdict.text());
    out.flush();
  }

  private void readAll() {
    for (int i = 0; i < inputs.length; i++) {
      DocumentInput input;
      try {
        input = reader.apply(files.get(i));
      } catch (RuntimeException | Error e) {
        // Rethrown by verify, on the calling thread.
        fail(e);
        return;
      }
      synchronized (this) {
        inputs[i] = input;
        read = i + 1;
        notifyAll();
      }
    }
    // The verdicts completed while the files were read wait for someone to print them.
    printReady();
  }

  /** Claims inputs in order and verifies each, until none is left or the batch failed. */
  private void verifyAll() {
    for (int i = next.getAndIncrement(); i < inputs.length; i = next.getAndIncrement()) {
      DocumentInput input = claim(i);
      if (input == null) {
        return;
      }
      Object verdict;
      try {
        verdict = report.of(input);
      } catch (Exception | Error e) {
        verdict = e;
      }
      synchronized (this) {
        ready[i] = verdict;
      }
      printReady();
    }
  }

  /** Waits until input {@code i} is read; null once the batch failed. */
  private synchronized DocumentInput claim(int i) {
    while (failure == null && i >= read) {
      try {
        wait();
      } catch (InterruptedException e) {
        // Only the calling thread interrupts, and only once it is done with the batch.
        return null;
      }
    }
    if (failure != null) {
      return null;
    }
    DocumentInput input = inputs[i];
    // Read documents are dropped once claimed, so that only those waiting stay in memory.
    inputs[i] = null;
    return input;
  }

  /**
   * Prints the verdicts that are next in order, if every file is read and no other thread is
   * printing them; the thread that is printing prints the ones that become ready meanwhile.
   */
  private void printReady() {
    List<VerifyDocCommand.Verdict> run = new ArrayList<>();
    while (true) {
      synchronized (this) {
        if (!run.isEmpty()) {
          printed += run.size();
          run.clear();
          notifyAll();
        } else if (printing) {
          return;
        }
        while (read == inputs.length && failure == null && printed + run.size() < inputs.length) {
          Object verdict = ready[printed + run.size()];
          if (verdict == null) {
            break;
          }
          if (verdict instanceof Throwable t) {
            // The verdicts before it are printed; nothing after it is.
            failure = t;
            notifyAll();
            break;
          }
          ready[printed + run.size()] = null;
          run.add((VerifyDocCommand.Verdict) verdict);
        }
        printing = !run.isEmpty();
        if (!printing) {
          return;
        }
      }
      // Outside the lock: the other threads go on verifying while this one writes.
      for (VerifyDocCommand.Verdict verdict : run) {
        firstRejection = firstRejection.or(verdict::next);
        print(out, verdict);
      }
    }
  }

  private synchronized void fail(Throwable t) {
    if (failure == null) {
      failure = t;
    }
    notifyAll();
  }

  /** Waits until every verdict is printed, or the batch failed and nothing is being printed. */
  private synchronized void awaitEnd() {
    while (printing || (failure == null && printed < inputs.length)) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while verifying", e);
      }
    }
  }

  private static void rethrow(Throwable t) throws JsonProcessingException {
    if (t instanceof JsonProcessingException j) {
      throw j;
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(t);
  }
}
