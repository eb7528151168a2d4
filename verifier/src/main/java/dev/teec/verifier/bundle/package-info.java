/**
 * Bundle verification as a library: {@link dev.teec.verifier.bundle.BundleVerifier} checks one
 * build bundle (SPEC.md C2) and returns a {@link dev.teec.verifier.bundle.BundleVerification}
 * listing every check. {@code teec-verify bundle} and {@code teec challenge vote} only render its
 * results.
 */
package dev.teec.verifier.bundle;
