package dev.teec.enclave.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and kills every process of a build: the started process, its descendants, and (on Linux,
 * where {@code /proc} is readable) every live process in the sessions they belong to, which catches
 * background processes that were re-parented to init. The JVM's own session is never touched.
 */
final class ProcessTree {
  private static final Path PROC = Path.of("/proc");
  private static final int MAX_ROUNDS = 200;

  /** Fields of {@code /proc/<pid>/stat} that the runner needs. */
  record Stat(long pid, char state, long ppid, long processGroup, long session) {
    boolean live() {
      // zombies are already dead; only their parent can remove them
      return state != 'Z' && state != 'X' && state != 'x';
    }
  }

  private ProcessTree() {}

  /** The stat of a process, empty when it does not exist or /proc is not available. */
  static Optional<Stat> stat(long pid) {
    try {
      return Optional.of(
          parse(
              Files.readString(
                  PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the process exists and is not a zombie. */
  static boolean isLive(long pid) {
    return stat(pid).map(Stat::live).orElse(false);
  }

  /**
   * Kills the tree with SIGKILL, repeating until nothing is left (a process may fork while the
   * others are being killed).
   *
   * @param root the started process
   * @param session a session to empty as well (the build's own, created by setsid), or -1
   * @return true when no process of the tree is left alive
   */
  static boolean killAll(ProcessHandle root, long session) throws InterruptedException {
    long self = ProcessHandle.current().pid();
    long ownSession = stat(self).map(Stat::session).orElse(-1L);
    Set<Long> sessions = new HashSet<>();
    if (session > 0 && session != ownSession) {
      sessions.add(session);
    }
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Map<Long, ProcessHandle> victims = new LinkedHashMap<>();
      if (root.isAlive()) {
        victims.put(root.pid(), root);
      }
      root.descendants().forEach(p -> victims.put(p.pid(), p));
      for (long pid : List.copyOf(victims.keySet())) {
        stat(pid)
            .ifPresent(
                s -> {
                  if (s.session() > 0 && s.session() != ownSession) {
                    sessions.add(s.session());
                  }
                });
      }
      for (Stat s : sessionMembers(sessions)) {
        ProcessHandle.of(s.pid()).ifPresent(p -> victims.put(p.pid(), p));
      }
      victims.remove(self);
      victims.values().removeIf(p -> !isLiveHandle(p));
      if (victims.isEmpty()) {
        return true;
      }
      victims.values().forEach(ProcessHandle::destroyForcibly);
      Thread.sleep(round < 10 ? 2 : 20);
    }
    return false;
  }

  private static boolean isLiveHandle(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    // where /proc works, a zombie counts as dead even though ProcessHandle says alive
    return stat(p.pid()).map(Stat::live).orElse(true);
  }

  private static List<Stat> sessionMembers(Set<Long> sessions) {
    List<Stat> members = new ArrayList<>();
    if (sessions.isEmpty() || !Files.isDirectory(PROC)) {
      return members;
    }
    try (DirectoryStream<Path> dir =
        Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
      for (Path p : dir) {
        stat(Long.parseLong(p.getFileName().toString()))
            .filter(s -> s.live() && sessions.contains(s.session()))
            .ifPresent(members::add);
      }
    } catch (IOException e) {
      // /proc vanished or is unreadable: descendants are all we can find
    }
    return members;
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Parses "pid (comm) state ppid pgrp session ..."; comm may contain spaces and parentheses. */
  static Stat parse(String line) {
    int open = line.indexOf(" (");
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc stat line");
    }
    long pid = Long.parseLong(line.substring(0, open).trim());
    String[] f = line.substring(close + 2).split(" ");
    return new Stat(
        pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
  }
}
