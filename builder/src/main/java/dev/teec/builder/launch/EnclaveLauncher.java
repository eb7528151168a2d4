package dev.teec.builder.launch;

import java.util.function.Consumer;

/** Starts the worker for one build. */
public interface EnclaveLauncher {

  /** What is started, for the phase line: "local worker (simulated NSM)", "Nitro Enclave". */
  String kind();

  /**
   * Starts a worker.
   *
   * @param notes told of the worker's own diagnostics and of the host side's decisions (egress),
   *     one line at a time, from any thread
   * @throws LaunchException if the worker could not be started; nothing is left running
   */
  WorkerHandle launch(Consumer<String> notes) throws LaunchException, InterruptedException;
}
