package dev.teec.enclave.runner;

/**
 * Caps for {@link SourceArchive#extract}, each checked from the tar headers before any content is
 * read.
 *
 * @param maxEntryBytes largest declared size of one file
 * @param maxTotalBytes largest sum of declared file sizes
 * @param maxEntries most entries (files and directories)
 * @param maxArchiveBytes most bytes read from the stream in total (headers and padding included)
 */
public record ArchiveLimits(
    long maxEntryBytes, long maxTotalBytes, int maxEntries, long maxArchiveBytes) {
  public ArchiveLimits {
    if (maxEntryBytes < 0 || maxTotalBytes < 0 || maxEntries < 1 || maxArchiveBytes < 1024) {
      throw new IllegalArgumentException(
          "archive limits must be positive (maxArchiveBytes at least 1024)");
    }
  }

  /** 512 MiB per file, 2 GiB of content, 100 000 entries, 2.5 GiB of archive. */
  public static ArchiveLimits defaults() {
    return new ArchiveLimits(512L << 20, 2L << 30, 100_000, 5L << 29);
  }
}
