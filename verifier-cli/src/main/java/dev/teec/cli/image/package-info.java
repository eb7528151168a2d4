/**
 * {@code teec image measure|build}: offline PCR measurement of Enclave Image Files, and a minimal
 * EIF writer that makes the measurement testable without Nitro hardware. SPEC.md sections R5, R6.
 */
package dev.teec.cli.image;
