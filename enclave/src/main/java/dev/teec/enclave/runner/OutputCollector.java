package dev.teec.enclave.runner;

import dev.teec.digest.Digests;
import dev.teec.formats.buildspec.OutputPattern;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resolves build.json's output patterns against the finished source tree, checks containment and
 * limits, and copies each file into the output directory while hashing it.
 */
final class OutputCollector {
  /** An output rule was broken; the message is for the user. */
  static final class OutputProblem extends Exception {
    OutputProblem(String message) {
      super(message);
    }
  }

  private final Path sourceReal;
  private final Path outDir;
  private final RunnerConfig config;

  OutputCollector(Path sourceDir, Path outDir, RunnerConfig config) throws IOException {
    this.sourceReal = sourceDir.toRealPath();
    this.outDir = outDir;
    this.config = config;
  }

  List<OutputFile> collect(List<OutputPattern> patterns) throws IOException, OutputProblem {
    Map<String, Path> files = new TreeMap<>(Utf8Order.COMPARATOR);
    for (int i = 0; i < patterns.size(); i++) {
      OutputPattern p = patterns.get(i);
      String where = "$.output.files[" + i + "] \"" + p.pattern() + "\"";
      Map<String, Path> found = p.isLiteral() ? literal(p.pattern(), where) : glob(p, where);
      if (found.isEmpty()) {
        throw new OutputProblem(where + " matched no file");
      }
      files.putAll(found);
    }
    if (files.size() > config.maxOutputFiles()) {
      throw new OutputProblem(
          "the output patterns matched "
              + files.size()
              + " files; the limit is "
              + config.maxOutputFiles());
    }
    long total = 0;
    for (Map.Entry<String, Path> e : files.entrySet()) {
      long size = Files.size(e.getValue());
      if (size > config.maxOutputFileBytes()) {
        throw new OutputProblem(
            "output "
                + e.getKey()
                + " has "
                + size
                + " bytes; the limit per file is "
                + config.maxOutputFileBytes());
      }
      total += size;
      if (total > config.maxOutputTotalBytes()) {
        throw new OutputProblem(
            "the outputs exceed the total limit of " + config.maxOutputTotalBytes() + " bytes");
      }
    }
    List<OutputFile> result = new ArrayList<>(files.size());
    for (Map.Entry<String, Path> e : files.entrySet()) {
      result.add(copy(e.getKey(), e.getValue()));
    }
    return result;
  }

  private Map<String, Path> literal(String pattern, String where)
      throws IOException, OutputProblem {
    Path p = sourceReal.resolve(pattern);
    Map<String, Path> found = new TreeMap<>(Utf8Order.COMPARATOR);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return found;
    }
    found.put(pattern, checked(p, pattern, where));
    return found;
  }

  private Map<String, Path> glob(OutputPattern pattern, String where)
      throws IOException, OutputProblem {
    Map<String, Path> found = new TreeMap<>(Utf8Order.COMPARATOR);
    String base = pattern.baseDirectory();
    Path start = base.isEmpty() ? sourceReal : sourceReal.resolve(base);
    if (!Files.exists(start)) {
      return found;
    }
    Path startReal = start.toRealPath();
    if (!startReal.startsWith(sourceReal)) {
      throw new OutputProblem(where + ": directory " + base + " resolves outside the source root");
    }
    if (!Files.isDirectory(startReal)) {
      return found;
    }
    List<OutputProblem> problems = new ArrayList<>(1);
    Files.walkFileTree(
        startReal,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String rel = relative(base, startReal.relativize(file));
            if (!pattern.matches(rel)) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink() && Files.isDirectory(file) && isInside(file)) {
              // a link to a directory inside the tree is a directory; globs collect files only
              return FileVisitResult.CONTINUE;
            }
            try {
              found.put(rel, checked(file, rel, where));
            } catch (OutputProblem e) {
              problems.add(e);
              return FileVisitResult.TERMINATE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            // the build left something unreadable; that is the build's problem, not the worker's
            problems.add(
                new OutputProblem(
                    where
                        + ": cannot read "
                        + relative(base, startReal.relativize(file))
                        + " ("
                        + e.getMessage()
                        + ")"));
            return FileVisitResult.TERMINATE;
          }
        });
    if (!problems.isEmpty()) {
      throw problems.get(0);
    }
    return found;
  }

  private boolean isInside(Path link) throws IOException {
    return link.toRealPath().startsWith(sourceReal);
  }

  /** The real path of a matched entry, after checking it stays inside and is a regular file. */
  private Path checked(Path p, String rel, String where) throws IOException, OutputProblem {
    if (!Files.exists(p)) {
      throw new OutputProblem(where + ": " + rel + " is a symbolic link to nothing");
    }
    Path real = p.toRealPath();
    if (!real.startsWith(sourceReal)) {
      throw new OutputProblem(
          where + ": " + rel + " resolves outside the source root (to " + real + ")");
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new OutputProblem(where + ": " + rel + " is not a regular file");
    }
    return real;
  }

  private static String relative(String base, Path rel) {
    StringBuilder sb = new StringBuilder(base);
    for (Path part : rel) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  private OutputFile copy(String rel, Path real) throws IOException, OutputProblem {
    Path target = outDir.resolve(rel);
    Files.createDirectories(target.getParent());
    boolean executable =
        Files.getPosixFilePermissions(real).contains(PosixFilePermission.OWNER_EXECUTE);
    Path tmp = Files.createTempFile(target.getParent(), ".out-", ".tmp");
    MessageDigest sha256 = Digests.sha256();
    MessageDigest sha384 = Digests.sha384();
    long size = 0;
    try {
      try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS);
          OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          size += n;
          if (size > config.maxOutputFileBytes()) {
            throw new OutputProblem(
                "output "
                    + rel
                    + " grew past the limit per file of "
                    + config.maxOutputFileBytes()
                    + " bytes");
          }
          sha256.update(buf, 0, n);
          sha384.update(buf, 0, n);
          out.write(buf, 0, n);
        }
      }
      Set<PosixFilePermission> mode =
          PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--");
      Files.setPosixFilePermissions(tmp, mode);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return new OutputFile(rel, size, Digests.hex(sha256), Digests.hex(sha384), target, executable);
  }
}
