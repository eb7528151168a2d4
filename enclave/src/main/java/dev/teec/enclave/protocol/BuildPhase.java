package dev.teec.enclave.protocol;

/**
 * The stages of a build as the worker announces them, in order; a worker may skip stages (a failed
 * build never attests) but never goes back. Wire names are the lower-case constant names.
 */
public enum BuildPhase {
  /** Receiving the source archive. */
  RECEIVING,
  /** Running the build. */
  BUILDING,
  /** Writing the report and asking the NSM to attest it. */
  ATTESTING,
  /** Streaming the bundle back. */
  SENDING
}
