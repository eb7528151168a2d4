/**
 * Runs a build: the canonical build area ({@link dev.teec.enclave.runner.BuildRunner#prepare()}),
 * the normalised environment, timeout and process-tree cleanup, log capture and streaming, output
 * resolution and hashing ({@link dev.teec.enclave.runner.BuildRunner#run}), and the safe source
 * archive reader and deterministic writer ({@link dev.teec.enclave.runner.SourceArchive}). Spec
 * part "W2. Running the build".
 */
package dev.teec.enclave.runner;
