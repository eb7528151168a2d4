/**
 * {@code teec challenge}: commands that test one builder's claim against others. {@link
 * dev.teec.cli.challenge.Vote} counts verified bundles from independent builders artifact by
 * artifact.
 */
package dev.teec.cli.challenge;
