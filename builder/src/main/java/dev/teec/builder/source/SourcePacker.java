package dev.teec.builder.source;

import dev.teec.enclave.runner.SourceArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Packs a {@link SelectedSource} with the worker's own deterministic archive format (SPEC W2). */
public final class SourcePacker {
  private SourcePacker() {}

  /**
   * Writes the archive to a new file in {@code tempDir}: the same files with the same content and
   * executable bits always give the same bytes, so the recorded digest identifies the source. A
   * clean git tree is packed from git's object store ({@link SelectedSource#content()}).
   *
   * @throws SourceException if a file or git object cannot be read or is not a regular file
   */
  public static PackedSource pack(SelectedSource source, Path tempDir) throws IOException {
    Path archive = Files.createTempFile(tempDir, "source-", ".tar");
    try (OutputStream out = Files.newOutputStream(archive)) {
      SourceArchive.Written written = source.content().write(out);
      return new PackedSource(archive, written.size(), written.sha256(), written.entries(), source);
    } catch (IllegalArgumentException e) {
      Files.deleteIfExists(archive);
      throw new SourceException("cannot archive " + source.root() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      Files.deleteIfExists(archive);
      throw e instanceof SourceException
          ? e
          : new SourceException("cannot archive " + source.root() + ": " + e.getMessage(), e);
    }
  }
}
