/**
 * Git objects as the worker needs them to check a source claim (spec/worker.md#W2-source-claim):
 * SHA-1 object ids, strict parsers for commit and tree objects, the git tree of the files received,
 * and the staged check that a claimed commit, its trees and the received archive agree ({@link
 * dev.teec.enclave.git.SourceClaim}).
 *
 * <p>Written here rather than taken from a git library because the worker must parse objects sent
 * by an untrusted client strictly and within fixed bounds, and needs only these few formats.
 */
package dev.teec.enclave.git;
