/**
 * Enclave Image Files (EIF): reading, validating and measuring them offline exactly as nitro-cli
 * does ({@link dev.teec.truststore.eif.EifReader}), and writing minimal ones ({@link
 * dev.teec.truststore.eif.EifWriter}). SPEC.md section R5 defines the format and the measurements.
 */
package dev.teec.truststore.eif;
