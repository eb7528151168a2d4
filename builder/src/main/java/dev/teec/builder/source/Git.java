package dev.teec.builder.source;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The git command-line client, asked about one directory. Only plumbing-style, machine-readable
 * output is used ({@code -z} lists, {@code rev-parse}), with optional locks off so that asking
 * never writes to the repository.
 */
final class Git {
  private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final long TIMEOUT_SECONDS = 120;

  private final String executable;

  /**
   * @param executable the git binary, normally {@code "git"} from PATH
   */
  Git(String executable) {
    this.executable = executable;
  }

  /** One entry of {@code git ls-files -s}: the file mode and the path relative to the directory. */
  record IndexEntry(String mode, String path) {}

  /** Whether {@code dir} lies inside a git work tree; false also when git is not installed. */
  boolean isWorkTree(Path dir) {
    try {
      Result r = run(dir, "rev-parse", "--is-inside-work-tree");
      return r.exitCode == 0 && r.text().strip().equals("true");
    } catch (IOException e) {
      return false;
    }
  }

  /** The object format of the repository of {@code dir}: {@code sha1} or {@code sha256}. */
  String objectFormat(Path dir) throws SourceException {
    return checked(dir, "the object format", "rev-parse", "--show-object-format").text().strip();
  }

  /**
   * Where {@code dir} lies in its work tree: {@code ""} at the top, else a {@code /}-separated path
   * without a trailing slash.
   */
  String prefix(Path dir) throws SourceException {
    String p =
        checked(dir, "the directory's place in the work tree", "rev-parse", "--show-prefix").text();
    p = p.endsWith("\n") ? p.substring(0, p.length() - 1) : p;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /** The HEAD commit id of {@code dir}'s repository. */
  String headCommit(Path dir) throws SourceException {
    return objectId(dir, "HEAD commit", "rev-parse", "--verify", "--quiet", "HEAD^{commit}");
  }

  /** Whether git tracks executable bits here ({@code core.fileMode}, true unless set false). */
  boolean tracksFileMode(Path dir) throws SourceException {
    Result r = run0(dir, "config", "--type=bool", "--get", "core.fileMode");
    return !(r.exitCode == 0 && r.text().strip().equals("false"));
  }

  /**
   * The blob ids git would store for the working-tree files {@code paths} (relative to {@code dir},
   * which is {@code prefix} within the work tree), with the clean filters and end-of-line
   * conversion their attributes select: equal to the committed blob exactly when git considers the
   * file unmodified. Asks git about the content, never about the index, so assume-unchanged and
   * skip-worktree marks make no difference.
   */
  List<String> workTreeBlobIds(Path dir, String prefix, List<String> paths) throws SourceException {
    if (paths.isEmpty()) {
      return List.of();
    }
    StringBuilder in = new StringBuilder();
    for (String relative : paths) {
      // --stdin-paths reads paths relative to the top of the work tree, whatever the directory
      String p = prefix.isEmpty() ? relative : prefix + "/" + relative;
      // C-quoted, as --stdin-paths unquotes a line that starts with a double quote
      in.append('"').append(p.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
    }
    Result r =
        run0(dir, in.toString().getBytes(StandardCharsets.UTF_8), "hash-object", "--stdin-paths");
    if (r.exitCode != 0) {
      throw new SourceException(
          "git: cannot hash the working-tree files in " + dir + ": " + r.err.strip());
    }
    List<String> ids = r.text().lines().toList();
    if (ids.size() != paths.size()
        || !ids.stream().allMatch(id -> OBJECT_ID.matcher(id).matches())) {
      throw new SourceException("git hash-object: unexpected output for " + dir);
    }
    return ids;
  }

  /** A {@code git cat-file --batch} process reading {@code dir}'s repository. */
  CatFile catFile(Path dir) throws SourceException {
    return new CatFile(executable, dir);
  }

  /** Every index entry below {@code dir}, paths relative to it. */
  List<IndexEntry> indexEntries(Path dir) throws SourceException {
    String out =
        checked(
                dir,
                "the tracked files",
                "-c",
                "core.quotepath=off",
                "ls-files",
                "-z",
                "-s",
                "--",
                ".")
            .text();
    List<IndexEntry> entries = new ArrayList<>();
    for (String record : out.split("\0")) {
      if (record.isEmpty()) {
        continue;
      }
      // "<mode> <object> <stage>\t<path>"
      int tab = record.indexOf('\t');
      int space = record.indexOf(' ');
      if (tab < 0 || space < 0 || space > tab) {
        throw new SourceException("git ls-files: unexpected entry \"" + record + "\" in " + dir);
      }
      entries.add(new IndexEntry(record.substring(0, space), record.substring(tab + 1)));
    }
    return entries;
  }

  /**
   * Tracked files below {@code dir} that git itself reports as changed, staged or not (by its
   * index, so files marked assume-unchanged or skip-worktree are not among them).
   */
  List<String> statusChanges(Path dir) throws SourceException {
    String out =
        checked(
                dir,
                "the working tree status",
                "status",
                "--porcelain=v1",
                "-z",
                "--untracked-files=no",
                "--ignore-submodules=none",
                "--",
                ".")
            .text();
    List<String> changed = new ArrayList<>();
    String[] fields = out.split("\0");
    for (int i = 0; i < fields.length; i++) {
      String f = fields[i];
      if (f.length() < 4) {
        continue;
      }
      changed.add(f.substring(3));
      char x = f.charAt(0);
      if (x == 'R' || x == 'C') {
        i++; // the rename's source path follows as its own field
      }
    }
    return changed;
  }

  /** The {@code origin} remote as a source URI, without credentials; empty if there is none. */
  Optional<String> remoteUri(Path dir) throws SourceException {
    Result r;
    try {
      r = run(dir, "remote", "get-url", "origin");
    } catch (IOException e) {
      throw new SourceException("git: cannot run " + executable + ": " + e.getMessage(), e);
    }
    return r.exitCode == 0 ? sourceUri(r.text().strip()) : Optional.empty();
  }

  /**
   * A remote URL as a SLSA-style source URI ({@code git+https://host/path}), without any user name
   * or password: CI checkouts sometimes embed a token in the remote URL, and the URI ends up in a
   * public report. Empty when the URL has no recognisable form.
   */
  static Optional<String> sourceUri(String remote) {
    if (remote.isEmpty() || remote.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.empty();
    }
    try {
      URI uri;
      if (remote.contains("://")) {
        uri = new URI(remote);
      } else if (remote.matches("[^/@:]+@[^/:]+:.+") || remote.matches("[^/@:]+:[^/].*")) {
        // scp-like "git@host:owner/repo.git"
        int at = remote.indexOf('@');
        String hostAndPath =
            at >= 0 && at < remote.indexOf(':') ? remote.substring(at + 1) : remote;
        int colon = hostAndPath.indexOf(':');
        String path = hostAndPath.substring(colon + 1);
        uri =
            new URI(
                "ssh",
                null,
                hostAndPath.substring(0, colon),
                -1,
                path.startsWith("/") ? path : "/" + path,
                null,
                null);
      } else {
        return Optional.empty();
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https")
          && !scheme.equals("http")
          && !scheme.equals("ssh")
          && !scheme.equals("git")) {
        return Optional.empty();
      }
      if (uri.getHost() == null) {
        return Optional.empty();
      }
      URI clean =
          new URI("git+" + scheme, null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
      return Optional.of(clean.toASCIIString());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * Clones {@code url} into the new directory {@code dest} and checks out {@code commit}
   * (detached). Clone hooks cannot run: the repository is fetched without checkout, then checked
   * out with hooks disabled.
   */
  void checkout(String url, String commit, Path dest) throws SourceException {
    if (!OBJECT_ID.matcher(commit).matches()) {
      throw new SourceException("not a git commit id: " + commit);
    }
    Path parent = dest.toAbsolutePath().getParent();
    Result clone =
        run0(
            parent,
            "-c",
            "core.hooksPath=/dev/null",
            "clone",
            "--quiet",
            "--no-checkout",
            "--",
            url,
            dest.getFileName().toString());
    if (clone.exitCode != 0) {
      throw new SourceException("git: cannot clone " + url + ": " + clone.err.strip());
    }
    Result co =
        run0(
            dest,
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "advice.detachedHead=false",
            "checkout",
            "--quiet",
            "--detach",
            commit);
    if (co.exitCode != 0) {
      throw new SourceException("git: " + url + " has no commit " + commit + ": " + co.err.strip());
    }
  }

  private String objectId(Path dir, String what, String... args) throws SourceException {
    Result r = run0(dir, args);
    String id = r.text().strip();
    if (r.exitCode != 0 || !OBJECT_ID.matcher(id).matches()) {
      throw new SourceException(
          "git: cannot read the "
              + what
              + " in "
              + dir
              + (what.startsWith("HEAD commit")
                  ? " (a repository without commits cannot be built; commit first)"
                  : "")
              + (r.err.isBlank() ? "" : ": " + r.err.strip()));
    }
    return id;
  }

  private Result checked(Path dir, String what, String... args) throws SourceException {
    Result r = run0(dir, args);
    if (r.exitCode != 0) {
      throw new SourceException("git: cannot read " + what + " in " + dir + ": " + r.err.strip());
    }
    return r;
  }

  private Result run0(Path dir, String... args) throws SourceException {
    return run0(dir, null, args);
  }

  private Result run0(Path dir, byte[] stdin, String... args) throws SourceException {
    try {
      return run(dir, stdin, args);
    } catch (IOException e) {
      throw new SourceException("git: cannot run " + executable + ": " + e.getMessage(), e);
    }
  }

  private record Result(int exitCode, byte[] out, String err) {
    String text() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  private Result run(Path dir, String... args) throws IOException {
    return run(dir, null, args);
  }

  private Result run(Path dir, byte[] stdin, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
    pb.environment().put("LC_ALL", "C");
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process p = pb.start();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    if (stdin != null) {
      // Written on its own thread: git may answer (and fill its output pipe) before it has read
      // all of its input.
      CompletableFuture.runAsync(
          () -> {
            try (OutputStream in = p.getOutputStream()) {
              in.write(stdin);
            } catch (IOException e) {
              // git exited early; its exit code and stderr say why
            }
          });
    }
    byte[] out = readAll(p.getInputStream());
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            "git " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running git", e);
    }
    return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(InputStream in) {
    try (in;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
      in.transferTo(buffer);
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
