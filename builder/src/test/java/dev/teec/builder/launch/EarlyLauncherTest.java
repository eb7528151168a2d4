package dev.teec.builder.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.enclave.protocol.transport.Connection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EarlyLauncherTest {

  /** A worker that only records whether it was stopped. */
  private static final class FakeWorker implements WorkerHandle {
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public Connection connect() {
      throw new UnsupportedOperationException();
    }

    @Override
    public String description() {
      return "fake";
    }

    @Override
    public boolean simulated() {
      return true;
    }

    @Override
    public boolean emulated() {
      return false;
    }

    @Override
    public boolean debug() {
      return false;
    }

    @Override
    public Map<Integer, String> expectedPcrs() {
      return Map.of();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  /** Starts {@link #worker} once {@link #release} is counted down. */
  private static final class GatedLauncher implements EnclaveLauncher {
    final FakeWorker worker = new FakeWorker();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean interrupted = new AtomicBoolean();
    final AtomicInteger launches = new AtomicInteger();
    volatile boolean ignoreInterrupts;

    @Override
    public String kind() {
      return "gated worker";
    }

    @Override
    public WorkerHandle launch(Consumer<String> notes) throws InterruptedException {
      launches.incrementAndGet();
      notes.accept("starting");
      entered.countDown();
      while (true) {
        try {
          release.await();
          return worker;
        } catch (InterruptedException e) {
          interrupted.set(true);
          if (!ignoreInterrupts) {
            // As LocalWorkerLauncher does: an interrupted start stops what it began.
            worker.close();
            throw e;
          }
        }
      }
    }
  }

  @Test
  void launch_returnsTheWorkerStartedEarly_onceAndForEveryCall() throws Exception {
    GatedLauncher launcher = new GatedLauncher();
    StringBuilder notes = new StringBuilder();
    try (EarlyLauncher early = EarlyLauncher.start(launcher, notes::append)) {
      assertThat(launcher.entered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(early.kind()).isEqualTo("gated worker");
      launcher.release.countDown();

      assertThat(early.launch(n -> {})).isSameAs(launcher.worker);
      assertThat(early.launch(n -> {})).isSameAs(launcher.worker);
      assertThat(launcher.launches).hasValue(1);
      assertThat(notes).hasToString("starting");
      assertThat(launcher.worker.closes).hasValue(0);
    }
    assertThat(launcher.worker.closes).hasValue(1);
  }

  @Test
  void close_whileStarting_interruptsTheStart_andLaunchFails() throws Exception {
    GatedLauncher launcher = new GatedLauncher();
    EarlyLauncher early = EarlyLauncher.start(launcher, n -> {});
    assertThat(launcher.entered.await(10, TimeUnit.SECONDS)).isTrue();

    early.close();

    assertThat(launcher.interrupted).isTrue();
    assertThat(launcher.worker.closes).hasValue(1);
    assertThatThrownBy(() -> early.launch(n -> {}))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("interrupted");
  }

  @Test
  void close_whileAStartIgnoresTheInterrupt_stopsTheWorkerWhenItComesUp() throws Exception {
    GatedLauncher launcher = new GatedLauncher();
    launcher.ignoreInterrupts = true;
    EarlyLauncher early = EarlyLauncher.start(launcher, n -> {});
    assertThat(launcher.entered.await(10, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(early::close);
    closer.start();
    while (!launcher.interrupted.get()) {
      Thread.sleep(5);
    }

    launcher.release.countDown();
    closer.join(10_000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(launcher.worker.closes).hasValue(1);
    assertThatThrownBy(() -> early.launch(n -> {}))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("stopped");
  }

  @Test
  void close_afterTheWorkerWasHandedOver_stopsIt_everyTime() throws Exception {
    GatedLauncher launcher = new GatedLauncher();
    launcher.release.countDown();
    EarlyLauncher early = EarlyLauncher.start(launcher, n -> {});
    WorkerHandle handle = early.launch(n -> {});

    early.close();
    early.close();

    assertThat(handle).isSameAs(launcher.worker);
    // Each call waits on the handle's own idempotent close, so neither returns before it is done.
    assertThat(launcher.worker.closes).hasValue(2);
  }

  @Test
  void launch_startFailed_throwsTheLaunchersError() {
    EnclaveLauncher failing =
        new EnclaveLauncher() {
          @Override
          public String kind() {
            return "failing";
          }

          @Override
          public WorkerHandle launch(Consumer<String> notes) throws LaunchException {
            throw new LaunchException("java: not found");
          }
        };
    try (EarlyLauncher early = EarlyLauncher.start(failing, n -> {})) {
      assertThatThrownBy(() -> early.launch(n -> {}))
          .isInstanceOf(LaunchException.class)
          .hasMessage("java: not found");
    }
  }
}
