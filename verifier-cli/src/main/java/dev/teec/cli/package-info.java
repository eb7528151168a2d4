/** Command-line front ends: {@code teec-verify} and the umbrella {@code teec}. */
package dev.teec.cli;
