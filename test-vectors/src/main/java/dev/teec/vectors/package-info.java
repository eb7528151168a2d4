/** The named test scenarios, built with the attestation generator ({@code dev.teec.generator}). */
package dev.teec.vectors;
