/**
 * {@code teec bundle}: commands about one bundle as its operator handles it; {@code sign} writes
 * the operator signature the vote counts builders by (SPEC.md C6, C7).
 */
package dev.teec.cli.bundle;
