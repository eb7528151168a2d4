/**
 * Matching attested PCRs to the images of a verified registry ({@link
 * dev.teec.truststore.image.ImageMatcher}), and choosing the image for a build ({@link
 * dev.teec.truststore.image.ImageMatcher#findFor}). SPEC.md section R4.
 */
package dev.teec.truststore.image;
