/**
 * Host-side build client ({@code teec build}): reads {@code build.json}, picks the enclave image,
 * launches the enclave (nitro-cli and vsock) or a local simulated worker, streams the source in and
 * the attested bundle out. Filled by the builder issue; the module exists so the layout is complete.
 */
package dev.teec.builder;
