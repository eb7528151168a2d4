package dev.teec.cli.challenge.compare;

import java.util.Optional;

/**
 * Where two different files first differ.
 *
 * @param originalSize size of the original in bytes
 * @param rebuiltSize size of the rebuild in bytes
 * @param offset the first byte offset at which they differ; when one is a prefix of the other, the
 *     size of the shorter
 * @param archive for two zip (jar) or two tar files, the entries that differ
 */
public record FirstDifference(
    long originalSize, long rebuiltSize, long offset, Optional<ArchiveDifference> archive) {}
