/**
 * The bundle tar (spec W6): its layout ({@link dev.teec.formats.bundle.BundleLayout}), the
 * deterministic writer ({@link dev.teec.formats.bundle.BundleWriter}), the strict reader ({@link
 * dev.teec.formats.bundle.BundleReader}) and the consistency of its parts ({@link
 * dev.teec.formats.bundle.BundleConsistency}). Nothing here authenticates a bundle: that is the
 * verifier's business.
 */
package dev.teec.formats.bundle;
