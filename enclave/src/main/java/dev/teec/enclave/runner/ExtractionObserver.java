package dev.teec.enclave.runner;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Told about every file and directory {@link SourceArchive#extract} creates, in archive order, so
 * that a caller can compute something over exactly the bytes extracted without reading them back
 * from disk (whose file names depend on the platform's encoding).
 */
public interface ExtractionObserver {
  /**
   * A regular file is being extracted: its content is written to the returned stream, which is
   * closed once the whole content has been written (not when the extraction fails first).
   *
   * @param name the normalised entry name ({@code /}-separated, no {@code ./})
   * @param executable whether the file is extracted with mode 0755
   * @param size the content length
   */
  OutputStream file(String name, boolean executable, long size) throws IOException;

  /** A directory was created, explicitly named in the archive or implied by a file below it. */
  void directory(String name);
}
