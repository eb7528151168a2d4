package dev.teec.formats.bundle;

import java.nio.file.Path;

/**
 * A bundle file as written.
 *
 * @param path where it is
 * @param size its length in bytes
 * @param sha256 the SHA-256 of the whole tar, lowercase hex
 */
public record WrittenBundle(Path path, long size, String sha256) {}
