/**
 * Starting and stopping the worker a build talks to: a local worker process with the simulated NSM
 * ({@link dev.teec.builder.launch.LocalWorkerLauncher}) or a Nitro Enclave started with {@code
 * nitro-cli} and reached over vsock ({@link dev.teec.builder.launch.NitroLauncher}).
 */
package dev.teec.builder.launch;
