/**
 * {@code teec challenge}: commands that test one builder's claim. {@code reproduce} rebuilds a
 * bundle from the same source and compares the artifacts (SPEC C4), {@code fetch} fills the cache
 * an offline rebuild replays the recorded network inputs from (SPEC C5), and {@code vote} counts
 * verified bundles from independent builders artifact by artifact (SPEC C3).
 */
package dev.teec.cli.challenge;
