/** Generator of simulated, AWS-shaped attestation documents and named negative scenarios. */
package dev.teec.vectors;
