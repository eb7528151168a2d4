package dev.teec.enclave.nsm;

import dev.teec.digest.Digests;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the simulated NSM measures in place of an enclave image: a name, a digest of the runtime
 * (standing for the kernel and boot ramdisk, PCR1) and a digest of the worker's code (the
 * application, PCR2). {@link #pcrs()} turns them into the sixteen 48-byte PCRs of a document;
 * SPEC.md W4 gives the exact derivation. Immutable; digests are copied in and out.
 *
 * @param name a label for the worker, for example {@code teec-worker 0.1.0}; part of PCR0
 * @param runtimeDigest SHA-384 (48 bytes) standing for the platform the worker runs on
 * @param codeDigest SHA-384 (48 bytes) of the worker's code
 */
public record WorkerIdentity(String name, byte[] runtimeDigest, byte[] codeDigest) {
  /** Bytes in a SHA-384 digest and in each PCR. */
  public static final int DIGEST_BYTES = 48;

  /** PCRs in a simulated document, 0..15, as in AWS enclave documents. */
  public static final int PCR_COUNT = 16;

  private static final String PREFIX = "teec-simulated-nsm/";

  /** How the SHA-384 of a classpath file's content is obtained. */
  @FunctionalInterface
  public interface FileDigests {
    /** SHA-384 of {@code file}'s content. */
    byte[] sha384(Path file) throws IOException;
  }

  /** Every file hashed afresh. */
  public static final FileDigests HASHED = WorkerIdentity::fileDigest;

  /**
   * @throws IllegalArgumentException if the name is blank or a digest is not 48 bytes
   */
  public WorkerIdentity {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("worker identity name must not be blank");
    }
    runtimeDigest = digest("runtimeDigest", runtimeDigest);
    codeDigest = digest("codeDigest", codeDigest);
  }

  /**
   * An identity from descriptions: {@code runtimeDigest =
   * SHA-384(lp("teec-simulated-nsm/runtime/v1") || lp(runtime))} and {@code codeDigest =
   * SHA-384(lp("teec-simulated-nsm/code/v1") || lp(code))}, where lp is a 4-byte big-endian length
   * followed by the UTF-8 bytes. For tests and for callers that measure their code some other way.
   */
  public static WorkerIdentity of(String name, String runtime, String code) {
    return new WorkerIdentity(
        name, labelled("runtime/v1", utf8(runtime)), labelled("code/v1", utf8(code)));
  }

  /**
   * An identity that measures the worker's code: every classpath entry's content, in classpath
   * order (see SPEC.md W4 for the exact encoding), with {@code runtime} as in {@link #of}.
   *
   * @param classpath jar files or class directories; symbolic links are followed
   * @throws IOException if an entry is missing or unreadable
   */
  public static WorkerIdentity measure(String name, String runtime, List<Path> classpath)
      throws IOException {
    return measure(name, runtime, classpath, HASHED);
  }

  /**
   * As {@link #measure(String, String, List)}, with the digests of files (jars) from {@code files},
   * e.g. a {@link CodeDigestCache}; those of class directories are always computed.
   */
  public static WorkerIdentity measure(
      String name, String runtime, List<Path> classpath, FileDigests files) throws IOException {
    MessageDigest code = Digests.sha384();
    lp(code, utf8(PREFIX + "classpath/v1"));
    for (Path entry : classpath) {
      if (Files.isDirectory(entry)) {
        lp(code, utf8("dir"));
        code.update(directoryDigest(entry));
      } else if (Files.isRegularFile(entry)) {
        lp(code, utf8("file"));
        code.update(files.sha384(entry));
      } else {
        throw new IOException(
            "cannot measure classpath entry " + entry + ": not a file or directory");
      }
    }
    return new WorkerIdentity(name, labelled("runtime/v1", utf8(runtime)), code.digest());
  }

  /**
   * The identity of the running JVM's worker, from its system properties: the classpath in {@code
   * java.class.path} (split at {@code path.separator}, empty entries skipped) and the runtime
   * description {@code java.vm.vendor, java.runtime.version, os.name, os.arch} joined by {@code
   * "\n"}. Pass {@code System.getProperties()}.
   *
   * @throws IOException if a classpath entry cannot be measured
   */
  public static WorkerIdentity fromSystemProperties(String name, Properties properties)
      throws IOException {
    return fromSystemProperties(name, properties, HASHED);
  }

  /**
   * As {@link #fromSystemProperties(String, Properties)}, with the jars' digests from {@code
   * files}.
   */
  public static WorkerIdentity fromSystemProperties(
      String name, Properties properties, FileDigests files) throws IOException {
    String separator = properties.getProperty("path.separator", File.pathSeparator);
    List<Path> classpath = new ArrayList<>();
    for (String entry :
        properties.getProperty("java.class.path", "").split(Pattern.quote(separator))) {
      if (!entry.isEmpty()) {
        classpath.add(Path.of(entry));
      }
    }
    String runtime =
        String.join(
            "\n",
            properties.getProperty("java.vm.vendor", ""),
            properties.getProperty("java.runtime.version", ""),
            properties.getProperty("os.name", ""),
            properties.getProperty("os.arch", ""));
    return measure(name, runtime, classpath, files);
  }

  /**
   * PCR0..PCR15 in index order: PCR0 over the name and both digests, PCR1 over the runtime digest,
   * PCR2 over the code digest, the others 48 zero bytes. PCR0-2 are never all zero, so documents
   * are not mistaken for debug-mode ones.
   */
  public Map<Integer, byte[]> pcrs() {
    Map<Integer, byte[]> pcrs = new LinkedHashMap<>();
    pcrs.put(0, labelled("pcr0/v1", utf8(name), runtimeDigest, codeDigest));
    pcrs.put(1, labelled("pcr1/v1", runtimeDigest));
    pcrs.put(2, labelled("pcr2/v1", codeDigest));
    for (int i = 3; i < PCR_COUNT; i++) {
      pcrs.put(i, new byte[DIGEST_BYTES]);
    }
    return Collections.unmodifiableMap(pcrs);
  }

  @Override
  public byte[] runtimeDigest() {
    return runtimeDigest.clone();
  }

  @Override
  public byte[] codeDigest() {
    return codeDigest.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkerIdentity w
        && name.equals(w.name)
        && Arrays.equals(runtimeDigest, w.runtimeDigest)
        && Arrays.equals(codeDigest, w.codeDigest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(runtimeDigest), Arrays.hashCode(codeDigest));
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "WorkerIdentity[name="
        + name
        + ", runtimeDigest="
        + hex.formatHex(runtimeDigest)
        + ", codeDigest="
        + hex.formatHex(codeDigest)
        + "]";
  }

  /** {@code SHA-384(lp("teec-simulated-nsm/" + label) || lp(part) || ...)}. */
  private static byte[] labelled(String label, byte[]... parts) {
    MessageDigest d = Digests.sha384();
    lp(d, utf8(PREFIX + label));
    for (byte[] part : parts) {
      lp(d, part);
    }
    return d.digest();
  }

  private static byte[] directoryDigest(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
      files =
          walk.filter(Files::isRegularFile)
              .map(dir::relativize)
              .sorted(WorkerIdentity::compareUnix)
              .toList();
    }
    MessageDigest d = Digests.sha384();
    for (Path relative : files) {
      lp(d, utf8(unix(relative)));
      d.update(fileDigest(dir.resolve(relative)));
    }
    return d.digest();
  }

  private static int compareUnix(Path a, Path b) {
    return Arrays.compare(utf8(unix(a)), utf8(unix(b)));
  }

  private static String unix(Path relative) {
    List<String> names = new ArrayList<>();
    relative.forEach(p -> names.add(p.toString()));
    return String.join("/", names);
  }

  private static byte[] fileDigest(Path file) throws IOException {
    MessageDigest d = Digests.sha384();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        d.update(buffer, 0, n);
      }
    }
    return d.digest();
  }

  private static void lp(MessageDigest d, byte[] part) {
    int n = part.length;
    d.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    d.update(part);
  }

  private static byte[] digest(String field, byte[] value) {
    Objects.requireNonNull(value, field);
    if (value.length != DIGEST_BYTES) {
      throw new IllegalArgumentException(
          field
              + " must be a "
              + DIGEST_BYTES
              + "-byte SHA-384 digest, got "
              + value.length
              + " bytes");
    }
    return value.clone();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
