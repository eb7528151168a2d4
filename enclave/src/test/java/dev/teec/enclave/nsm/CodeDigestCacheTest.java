package dev.teec.enclave.nsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeDigestCacheTest {
  @TempDir Path tmp;

  private Path home;
  private Path jar;
  private CodeDigestCache cache;

  @BeforeEach
  void setUp() throws IOException {
    home = tmp.resolve("home");
    Files.createDirectories(home.resolve(SimulatedNsm.DIRECTORY));
    jar = tmp.resolve("worker.jar");
    Files.writeString(jar, "the worker's code, version 1");
    cache = CodeDigestCache.of(home);
  }

  @Test
  void sha384_firstCall_hashesAndRemembersOneEntry() throws IOException {
    assertThat(cache.sha384(jar)).isEqualTo(WorkerIdentity.HASHED.sha384(jar));
    assertThat(entries()).hasSize(1);
    assertThat(Files.readString(entries().get(0)))
        .contains(jar.toRealPath().toString())
        .endsWith(HexFormat.of().formatHex(WorkerIdentity.HASHED.sha384(jar)) + "\n");
  }

  @Test
  void sha384_unchangedFile_usesTheRememberedDigest() throws IOException {
    cache.sha384(jar);
    // Proof that the entry, not the file, answers: a forged digest in it comes back.
    byte[] forged = new byte[WorkerIdentity.DIGEST_BYTES];
    forge(forged);

    assertThat(cache.sha384(jar)).isEqualTo(forged);
  }

  @Test
  void sha384_contentRewrittenWithSameSizeAndTime_hashesAgain() throws IOException {
    cache.sha384(jar);
    FileTime time = Files.getLastModifiedTime(jar);
    forge(new byte[WorkerIdentity.DIGEST_BYTES]);
    Files.writeString(jar, "the worker's code, version 2");
    Files.setLastModifiedTime(jar, time);

    assertThat(cache.sha384(jar)).isEqualTo(WorkerIdentity.HASHED.sha384(jar));
  }

  @Test
  void sha384_fileReplacedByARename_hashesAgain() throws IOException {
    cache.sha384(jar);
    FileTime time = Files.getLastModifiedTime(jar);
    forge(new byte[WorkerIdentity.DIGEST_BYTES]);
    Path other = tmp.resolve("other.jar");
    Files.writeString(other, "the worker's code, version 2");
    Files.setLastModifiedTime(other, time);
    Files.move(other, jar, StandardCopyOption.REPLACE_EXISTING);

    assertThat(cache.sha384(jar)).isEqualTo(WorkerIdentity.HASHED.sha384(jar));
  }

  @Test
  void sha384_damagedEntry_hashesAgainAndRepairsIt() throws IOException {
    byte[] digest = cache.sha384(jar);
    Path entry = entries().get(0);
    String text = Files.readString(entry);
    for (String damaged :
        List.of(
            "",
            text.substring(0, text.length() - 10),
            text.replace("size ", "size 1"),
            text.substring(0, text.length() - 1) + "zz\n")) {
      Files.writeString(entry, damaged);

      assertThat(cache.sha384(jar)).as(damaged).isEqualTo(digest);
      assertThat(Files.readString(entry)).isEqualTo(text);
    }
  }

  @Test
  void sha384_noSimulatedNsmDirectoryYet_hashesWithoutRemembering() throws IOException {
    CodeDigestCache fresh = CodeDigestCache.of(tmp.resolve("new-home"));

    assertThat(fresh.sha384(jar)).isEqualTo(WorkerIdentity.HASHED.sha384(jar));
    assertThat(tmp.resolve("new-home")).doesNotExist();
  }

  @Test
  void fromSystemProperties_withTheCache_sameIdentityAsHashing() throws IOException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("java.class.path", jar.toString());
    WorkerIdentity hashed = WorkerIdentity.fromSystemProperties("w", p);

    assertThat(WorkerIdentity.fromSystemProperties("w", p, cache)).isEqualTo(hashed);
    assertThat(WorkerIdentity.fromSystemProperties("w", p, cache)).isEqualTo(hashed);
    assertThat(entries()).hasSize(1);
  }

  /** Replaces the digest in the only entry, keeping its key. */
  private void forge(byte[] digest) throws IOException {
    Path entry = entries().get(0);
    String text = Files.readString(entry, StandardCharsets.UTF_8);
    String key = text.substring(0, text.length() - 2 * WorkerIdentity.DIGEST_BYTES - 1);
    Files.writeString(entry, key + HexFormat.of().formatHex(digest) + "\n");
  }

  private List<Path> entries() throws IOException {
    Path dir = home.resolve(SimulatedNsm.DIRECTORY).resolve(CodeDigestCache.DIRECTORY);
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
