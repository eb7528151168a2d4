/**
 * Generator of AWS-shaped certificate chains and signed attestation documents, deterministic from a
 * seed. The simulated NSM of the worker signs with it, and the test vectors are made with it; it
 * never verifies anything.
 */
package dev.teec.generator;
