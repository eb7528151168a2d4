/**
 * Bundle verification (spec C2): {@link dev.teec.verifier.bundle.BundleVerifier} checks one build
 * bundle and returns a {@link dev.teec.verifier.bundle.BundleVerification} listing every check;
 * {@link dev.teec.verifier.bundle.BundleVerification#requireVerified()} gives the {@link
 * dev.teec.verifier.bundle.VerifiedBundle}, the only way to read the report and the artifact
 * digests as established facts. {@code teec-verify bundle}, {@code teec build}'s check of the
 * returned bundle and {@code teec challenge vote} all verify through it.
 */
package dev.teec.verifier.bundle;
