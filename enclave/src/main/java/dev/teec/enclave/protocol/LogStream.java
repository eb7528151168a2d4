package dev.teec.enclave.protocol;

/** Which stream a log line comes from; wire names are the lower-case constant names. */
public enum LogStream {
  /** The build's standard output. */
  STDOUT,
  /** The build's standard error. */
  STDERR,
  /** The worker itself (progress, proxy decisions, limits hit). */
  WORKER
}
