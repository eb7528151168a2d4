/**
 * The registry of trusted enclave images: its model ({@link dev.teec.truststore.registry.Registry},
 * {@link dev.teec.truststore.registry.ImageEntry}), strict JSON parsing and canonical serialisation
 * ({@link dev.teec.truststore.registry.RegistryJson}), k-of-n maintainer signatures in JWS JSON
 * general serialization ({@link dev.teec.truststore.registry.RegistrySigner}) and verification
 * against pinned keys ({@link dev.teec.truststore.registry.RegistryVerifier}). SPEC.md sections R1
 * to R4 define the format and the rules.
 */
package dev.teec.truststore.registry;
