package dev.teec.enclave.protocol;

/** Where the worker runs, announced in its hello; wire names are the lower-case constant names. */
public enum WorkerMode {
  /** Inside an AWS Nitro Enclave, attesting with the real NSM. */
  NITRO,
  /** Locally, attesting with the simulated NSM: nothing it signs is trusted unless told to. */
  SIMULATED
}
