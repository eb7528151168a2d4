/**
 * The vote among independent builders (spec C3): {@link dev.teec.verifier.vote.Vote} counts
 * verified bundles of the same build and reports per artifact the digest a strict majority agrees
 * on.
 */
package dev.teec.verifier.vote;
