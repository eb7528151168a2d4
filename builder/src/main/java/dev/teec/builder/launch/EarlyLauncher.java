package dev.teec.builder.launch;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Starts a worker at once, on a thread of its own, so that it comes up while the client does other
 * work (selecting and packing the source); {@link #launch} then waits for that worker and hands it
 * over. A local worker's JVM start and NSM opening thereby overlap the client's packing instead of
 * following it.
 *
 * <p>{@link #close} stops the worker whatever the start has reached (not yet begun, half-started,
 * running, handed over): the owner calls it on every path, and from its Ctrl-C hook, so that a
 * build that fails before it needs the worker (a dirty work tree, say) leaves nothing running.
 */
public final class EarlyLauncher implements EnclaveLauncher, AutoCloseable {
  private static final long JOIN_MILLIS = 10_000;

  private final EnclaveLauncher launcher;
  private final CompletableFuture<WorkerHandle> started = new CompletableFuture<>();
  private final Thread thread;
  private final Object lock = new Object();
  private boolean closed;
  private WorkerHandle handle;

  private EarlyLauncher(EnclaveLauncher launcher, Consumer<String> notes) {
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    Objects.requireNonNull(notes, "notes");
    this.thread = new Thread(() -> start(notes), "teec-worker-start");
    thread.setDaemon(true);
  }

  /**
   * Begins starting a worker with {@code launcher}.
   *
   * @param notes told of the worker's diagnostics from now on (the {@code notes} later given to
   *     {@link #launch} are not used: the worker is already started)
   */
  public static EarlyLauncher start(EnclaveLauncher launcher, Consumer<String> notes) {
    EarlyLauncher early = new EarlyLauncher(launcher, notes);
    early.thread.start();
    return early;
  }

  private void start(Consumer<String> notes) {
    try {
      WorkerHandle h = launcher.launch(notes);
      synchronized (lock) {
        if (!closed) {
          handle = h;
          started.complete(h);
          return;
        }
      }
      // Closed while it was starting: nobody will use it.
      h.close();
      started.completeExceptionally(new LaunchException("the worker was stopped"));
    } catch (LaunchException | RuntimeException | InterruptedException e) {
      started.completeExceptionally(e);
    }
  }

  @Override
  public String kind() {
    return launcher.kind();
  }

  /**
   * Waits for the worker started by {@link #start} and returns it (the same one on every call).
   *
   * @throws LaunchException if it could not be started, or was stopped by {@link #close}
   */
  @Override
  public WorkerHandle launch(Consumer<String> notes) throws LaunchException, InterruptedException {
    try {
      return started.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LaunchException l) {
        throw l;
      }
      if (cause instanceof InterruptedException) {
        throw new LaunchException("starting the worker was interrupted", cause);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new LaunchException("the worker did not start: " + cause, cause);
    }
  }

  /**
   * Stops the worker: interrupts a start in progress (the launcher then stops what it began) and
   * stops a started worker, then waits for the starting thread to end. Idempotent; callable from
   * any thread.
   */
  @Override
  public void close() {
    WorkerHandle h;
    synchronized (lock) {
      closed = true;
      h = handle;
    }
    if (h != null) {
      h.close();
      return;
    }
    // A start that ends from now on sees closed and stops its worker itself.
    thread.interrupt();
    boolean interrupted = false;
    try {
      thread.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
