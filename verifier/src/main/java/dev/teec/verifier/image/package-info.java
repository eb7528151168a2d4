/**
 * Which enclave image built a bundle: the {@link dev.teec.verifier.image.ImageRegistry} the bundle
 * verifier asks, and {@link dev.teec.verifier.image.RegistryImages}, the signed registry's answer.
 */
package dev.teec.verifier.image;
