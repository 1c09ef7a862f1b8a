package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * What the private test servers share: one server process in its own temp dir, launched with its
 * output appended to a log file and ready once it listens on its loopback ports (or passes its own
 * check); stopped like a host going down (SIGKILL to it and its descendants, so live connections
 * drop at once); restarted after a stop with the same command, ports and files; closed by stopping
 * it and deleting the dir.
 */
final class ServerProcess implements AutoCloseable {
  /** Returns once a just-launched server serves; throws IllegalStateException when it does not. */
  @FunctionalInterface
  interface Readiness {
    void await(Process process);
  }

  private final String name;
  private final Path base;
  private final List<String> command;
  private final Path log;
  private final Readiness readiness;
  private final int[] ports;
  private final List<FreePorts.ClosedPort> held = new java.util.ArrayList<>();
  private Path staleFile;
  private Process process;

  /** {@code name} is for messages; the server is ready when all {@code ports} listen on 127.0.0.1. */
  ServerProcess(String name, Path base, List<String> command, Path log, int... ports) {
    this(name, base, command, log, p -> {
      for (int port : ports) FreePorts.awaitListening(port, Duration.ofSeconds(20), p);
    }, ports);
  }

  ServerProcess(String name, Path base, List<String> command, Path log, Readiness readiness) {
    this(name, base, command, log, readiness, new int[0]);
  }

  private ServerProcess(String name, Path base, List<String> command, Path log, Readiness readiness, int[] ports) {
    this.ports = ports.clone();
    this.name = name;
    this.base = base;
    this.command = List.copyOf(command);
    this.log = log;
    this.readiness = readiness;
  }

  /** A 0755 temp dir: servers that drop privileges (nobody, www-data, a test account) must traverse it. */
  static Path baseDir(String prefix) throws IOException {
    Path base = Files.createTempDirectory(prefix);
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    return base;
  }

  /** A file that a killed server leaves behind and that stops it starting again: deleted before each launch. */
  ServerProcess deletingBeforeLaunch(Path file) {
    this.staleFile = file;
    return this;
  }

  /** Launches the server unless it runs, and waits until it is ready. */
  void start() throws IOException {
    if (process != null) return;
    releasePorts();
    if (staleFile != null) Files.deleteIfExists(staleFile);
    Process p = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    try {
      readiness.await(p);
    } catch (IllegalStateException e) {
      kill(p);
      throw new IllegalStateException(e.getMessage() + "; " + name + " said (" + log + "):\n" + tail(30), e);
    }
    process = p;
  }

  /** Starts the server again after stop(): same command, ports and files. */
  void restart() {
    try {
      start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart " + name + ": " + e.getMessage(), e);
    }
  }

  /** Kills the server and its children (live connections drop); the files stay until close(). */
  void stop() {
    if (process == null) return;
    kill(process);
    process = null;
    // while stopped, the ports stay refused: another process on the machine taking one would make
    // a "server down" test talk to a stranger, and the restart fail
    for (int port : ports) {
      try {
        held.add(FreePorts.closedPort(port));
      } catch (java.io.UncheckedIOException e) {
        // taken already by another process: nothing to hold
      }
    }
  }

  private void releasePorts() {
    held.forEach(FreePorts.ClosedPort::close);
    held.clear();
  }

  Path log() {
    return log;
  }

  /** The last lines of the log. */
  String tail(int lines) {
    try {
      if (!Files.exists(log)) return "(no log)";
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stop();
    releasePorts();
    Processes.deleteTree(base);
  }

  /** SIGKILL to the process and its descendants, then waits until all are gone. */
  private static void kill(Process p) {
    if (p == null) return;
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      p.waitFor();
      for (ProcessHandle c : children) c.onExit().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException ignored) {
      // the child is gone either way
    }
  }
}
