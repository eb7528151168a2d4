/**
 * {@code teec bundle}: commands about one bundle; {@code sign} writes the operator signature the
 * vote counts builders by (SPEC.md C6, C7), {@code key} prints the attested key of a verified
 * bundle for sigstore's cosign (SPEC.md C9).
 */
package dev.teec.cli.bundle;
