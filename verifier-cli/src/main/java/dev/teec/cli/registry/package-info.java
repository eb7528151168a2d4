/**
 * {@code teec registry ...}: maintaining, signing and inspecting the registry of trusted enclave
 * images; and {@link dev.teec.cli.registry.RegistryOptions}, the options with which {@code
 * teec-verify} matches attested PCRs to a verified registry's images. SPEC.md section R6.
 */
package dev.teec.cli.registry;
