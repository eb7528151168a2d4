/**
 * The trust store: which enclave images are trusted, and why. {@link dev.teec.truststore.registry}
 * holds the signed registry of images (format, k-of-n maintainer signatures, verification), {@link
 * dev.teec.truststore.image} matches attested PCRs to its images, and {@link
 * dev.teec.truststore.eif} measures Enclave Image Files offline. SPEC.md sections R0 to R6.
 */
package dev.teec.truststore;
