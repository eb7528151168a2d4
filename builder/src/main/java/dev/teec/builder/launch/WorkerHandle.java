package dev.teec.builder.launch;

import dev.teec.enclave.protocol.transport.Connection;
import java.io.IOException;
import java.util.Map;

/**
 * A started worker. {@link #close()} always stops it (terminates the enclave, or kills the local
 * worker's process tree), also when called from a shutdown hook while another thread is using it.
 */
public interface WorkerHandle extends AutoCloseable {

  /** Opens the connection for one build session (waiting for the worker to come up if needed). */
  Connection connect() throws IOException, InterruptedException;

  /** A line for people: what runs where, e.g. "enclave i-0abc-enc1 (CID 16, 2 vCPUs, 4096 MiB)". */
  String description();

  /** Whether the worker attests with the simulated NSM (local mode). */
  boolean simulated();

  /**
   * Whether the enclave is QEMU's emulation of Nitro (its NSM's attestation documents are
   * unsigned).
   */
  boolean emulated();

  /** Whether the enclave runs in debug mode (its attestation then has all-zero PCRs). */
  boolean debug();

  /**
   * The PCRs (index to lower-case hex SHA-384) the attestation must show, known from the enclave
   * image; empty when nothing is known in advance (local mode, debug mode).
   */
  Map<Integer, String> expectedPcrs();

  /** Stops the worker; idempotent, never throws. */
  @Override
  void close();
}
