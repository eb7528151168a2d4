/**
 * Build tooling, not part of teec: assembles the binary distribution ({@code teec-VERSION.tar.gz}
 * and {@code .zip}) from the checkout's launchers, LICENSE and the CLI jar, byte for byte
 * reproducibly.
 */
package dev.teec.distribution;
