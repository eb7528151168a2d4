/**
 * The vote among independent builders (spec C3): {@link dev.teec.verifier.vote.Vote} counts
 * verified bundles of one source, one vote per builder ({@link dev.teec.verifier.vote.BuilderId}:
 * EC2 parent instance, attestation root, or pinned operator key), and reports per artifact the
 * digest a strict majority of the builders agrees on. {@link
 * dev.teec.verifier.vote.OperatorSignature} and {@link dev.teec.verifier.vote.OperatorKeys} make
 * and check the operator signature of a bundle (spec C7).
 */
package dev.teec.verifier.vote;
