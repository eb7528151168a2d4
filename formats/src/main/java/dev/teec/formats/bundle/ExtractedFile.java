package dev.teec.formats.bundle;

import java.nio.file.Path;

/**
 * A bundle entry the reader wrote to disk.
 *
 * @param name the entry name without the {@code artifacts/} prefix for outputs (so the declared
 *     path, the report's subject name), or {@code teec/build.log}
 * @param file where it was extracted (for outputs, not at its name: see {@link BundleReader})
 * @param size its length in bytes
 * @param sha256 SHA-256 of its bytes, lowercase hex, computed while extracting
 * @param executable whether its mode was 0755
 */
public record ExtractedFile(String name, Path file, long size, String sha256, boolean executable) {}
