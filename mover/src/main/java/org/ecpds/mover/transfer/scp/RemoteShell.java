package org.ecpds.mover.transfer.scp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/** Runs commands in exec channels of an open SSH session (what SCP itself cannot do). */
final class RemoteShell {
  /** English messages (classification) and raw bytes in names, whatever the account's locale. */
  static final String PREFIX = "env LC_ALL=C ";
  private static final int MAX_STDERR = 16 * 1024;

  private final ClientSession session;
  private final Duration timeout;

  RemoteShell(ClientSession session, Duration timeout) {
    this.session = session;
    this.timeout = timeout;
  }

  record Result(int status, byte[] out, String err) {
    String text() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  /** Runs to completion and collects stdout (the caller expects small or proportional output). */
  Result run(String command) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Stderr err = new Stderr();
    ChannelExec ch = open(command, out, err);
    try {
      Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      if (ev.contains(ClientChannelEvent.TIMEOUT)) {
        throw new TransferException(ErrorKind.NETWORK, "no answer within " + timeout.toSeconds() + "s to: " + command);
      }
      return new Result(exitStatus(ch, command), out.toByteArray(), err.text());
    } finally {
      ch.close(false);
    }
  }

  /** Runs and fails with the kind its stderr names when the exit status is not 0. */
  Result check(String command, String what) throws IOException {
    Result r = run(command);
    if (r.status() != 0) throw failure(what, r.status(), r.err());
    return r;
  }

  /** Opens an exec channel; stdout goes to {@code out}, or is read via getInvertedOut() if null. */
  ChannelExec open(String command, OutputStream out, Stderr err) throws IOException {
    ChannelExec ch = session.createExecChannel(PREFIX + command);
    if (out != null) ch.setOut(out);
    ch.setErr(err);
    ch.open().verify(timeout);
    return ch;
  }

  /**
   * The exit status of a command whose input is closed, waiting up to the command timeout (a
   * publishing {@code mv} may still run); no status within it is NETWORK.
   */
  int awaitExit(ChannelExec ch, String command) throws TransferException {
    Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.CLOSED), timeout);
    if (ev.contains(ClientChannelEvent.TIMEOUT)) {
      throw new TransferException(ErrorKind.NETWORK, "no exit status within " + timeout.toSeconds() + "s from: " + command);
    }
    return exitStatus(ch, command);
  }

  /** The exit status; a channel gone without one means the connection went away. */
  static int exitStatus(ChannelExec ch, String command) throws TransferException {
    ch.waitFor(EnumSet.of(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.CLOSED), Duration.ofSeconds(5));
    Integer st = ch.getExitStatus();
    if (st == null) {
      ErrorKind kind = ch.getSession().isOpen() ? ErrorKind.PROTOCOL : ErrorKind.NETWORK;
      throw new TransferException(kind, "no exit status (connection lost?) for: " + command);
    }
    return st;
  }

  /**
   * The channel failed under a write: either the remote command ended (its exit status and stderr
   * say why) or the connection went away (no exit status: NETWORK, retryable).
   */
  static TransferException whyClosed(ChannelExec ch, String command, Stderr err, String what, IOException e) {
    ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(2));
    Integer st = ch.getExitStatus();
    if (st != null && st != 0) return failure(what, st, err.text());
    if (st == null) return new TransferException(ErrorKind.NETWORK, what + ": connection lost (" + e.getMessage() + ")", e);
    return new TransferException(ScpErrors.kindOf(e), what + ": " + e.getMessage(), e);
  }

  /**
   * The failure of a command that exited non-zero, once its stderr is complete: sshd may send the exit
   * status before the last stderr bytes (a message written in several parts, as GNU mv does), so the
   * channel's close, which follows all its data, is awaited first (bounded).
   */
  static TransferException failureAfterExit(ChannelExec ch, String what, int status, Stderr err) {
    ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(5));
    return failure(what, status, err.text());
  }

  static TransferException failure(String what, int status, String stderr) {
    String msg = stderr.isBlank() ? "exit status " + status : stderr.strip();
    return new TransferException(ScpErrors.commandKind(stderr), what + ": " + msg);
  }

  /** Keeps the first 16 KiB of stderr: enough for messages, bounded for chatty commands. */
  static final class Stderr extends OutputStream {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (buf.size() < MAX_STDERR) buf.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      buf.write(b, off, Math.max(0, Math.min(len, MAX_STDERR - buf.size())));
    }

    synchronized String text() {
      return buf.toString(StandardCharsets.UTF_8);
    }
  }
}
