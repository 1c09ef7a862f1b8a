package org.ecpds.mover.transfer.scp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.sshd.client.channel.ChannelExec;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.SourceStream;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * Several files into one directory DIR with one exec: {@code mkdir -p DIR/.ecpds-batch-R && scp -t -d
 * DIR/.ecpds-batch-R && (move them all into DIR with one mv; list what is left)}. The sink takes one C
 * record per file, under its final name in that hidden directory, and answers each on its own: a file
 * it cannot open or write fails alone. Only when the sink ended without an error does the same shell
 * move the files into place; otherwise a second exec moves the stored ones ({@link #publish}). Files
 * left behind are renamed again alone, so that their error is classified as a single put's is. A batch
 * of N files costs one channel and a handful of processes instead of N channels, shells, scps and mvs:
 * starting programs is what the remote host spends most on.
 */
final class ScpBatch {
  private static final int BUFFER = 256 * 1024;
  /** Keeps one rename command line well under any sshd or shell limit. */
  private static final int MAX_SCRIPT = 32 * 1024;

  /** A batch member once its bytes are in the temporary name. */
  record Stored(int index, String tmp, String target, long bytes) {}

  /** The members stored, and the names the exec's own move left behind (null: it did not move them). */
  record Sent(List<Stored> stored, Set<String> left) {}

  /** What the shell prints after its move, before the names left behind. */
  private static final String MOVED = "ecpds-moved";

  /** What the sink said: 0 OK, 1 this file failed, 2 fatal (the sink ends); -1 the stream ended. */
  private record Ack(int code, String line) {}

  private ScpBatch() {}

  /**
   * Sends the {@code members} of {@code puts} (all into {@code dir}) to their temporary names; sets
   * {@code out} for each one that failed and returns the stored ones, with what the exec's move left
   * behind when every member it was sent was stored. When the exec breaks off, the member under way
   * fails and the members after it stay null (not attempted).
   */
  static Sent send(RemoteShell shell, String tmpDir, String dir, List<Integer> members, List<? extends BatchPut> puts,
      List<String> tmps, List<String> targets, PutResult[] out, BiFunction<String, Exception, TransferException> classify)
      throws IOException {
    // one shell for all, so that LC_ALL=C reaches scp's messages too; mkdir -p also makes DIR. scp's
    // status is not 0 when any file failed: then nothing is moved here and publish() moves the stored
    String t = Shell.path(tmpDir);
    String cmd = "sh -c " + Shell.quote("mkdir -p -- " + t + " && scp -t -d -- " + t + " && { mv -f -- " + everything(t)
        + " " + Shell.path(dir) + " 2>/dev/null; printf '" + MOVED + "\\0'; " + listLeftAndRemove(t) + " }");
    RemoteShell.Stderr err = new RemoteShell.Stderr();
    ChannelExec ch = shell.open(cmd, null, err);
    List<Stored> stored = new ArrayList<>();
    try (InputStream in = ch.getInvertedOut(); OutputStream os = ch.getInvertedIn()) {
      Ack ready;
      try {
        ready = ack(in);
      } catch (IOException e) {
        throw classify.apply("scp to " + dir, RemoteShell.whyClosed(ch, cmd, err, "scp to " + dir + " failed", e));
      }
      if (ready.code() < 0) {
        throw classify.apply("scp to " + dir, RemoteShell.whyClosed(ch, cmd, err, "scp to " + dir,
            new EOFException("scp ended without answering")));
      }
      if (ready.code() != 0) {
        throw new TransferException(ScpErrors.commandKind(ready.line()), "scp to " + dir + ": " + ready.line());
      }
      byte[] buf = new byte[BUFFER];
      for (int i : members) {
        BatchPut p = puts.get(i);
        String what = "cannot put " + targets.get(i);
        InputStream src;
        try {
          src = p.open();
        } catch (TransferException e) {
          out[i] = PutResult.failed(e);
          continue;
        }
        try (src) {
          String tmp = tmps.get(i);
          String name = tmp.substring(tmp.lastIndexOf('/') + 1);
          os.write(("C0644 " + p.size() + " " + name + "\n").getBytes(StandardCharsets.UTF_8));
          os.flush();
          Ack a = ack(in);
          if (a.code() != 0) {
            out[i] = PutResult.failed(failure(what, a, ch, cmd, err, classify));
            if (a.code() == 1) continue;
            return new Sent(stored, null); // fatal or gone: the sink has ended
          }
          SourceStream s = new SourceStream(src, p.size(), p.progress());
          try {
            for (int n; (n = s.read(buf, 0, buf.length)) > 0; ) os.write(buf, 0, n);
          } catch (TransferException e) {
            // the sink counts on the announced bytes: this exec cannot go on; the members after it go again
            out[i] = PutResult.failed(new TransferException(e.kind(), what + ": " + e.getMessage(), e));
            return new Sent(stored, null);
          }
          os.write(0);
          os.flush();
          a = ack(in);
          if (a.code() != 0) {
            out[i] = PutResult.failed(failure(what, a, ch, cmd, err, classify));
            if (a.code() == 1) continue;
            return new Sent(stored, null);
          }
          stored.add(new Stored(i, tmp, targets.get(i), s.count()));
        } catch (IOException e) {
          out[i] = PutResult.failed(classify.apply(what, RemoteShell.whyClosed(ch, cmd, err, what, e)));
          return new Sent(stored, null);
        }
      }
      os.close(); // EOF: the sink ends, and the shell moves the files when it reported no error
      return new Sent(stored, moved(shell, ch, cmd, in));
    } finally {
      ch.close(false);
    }
  }

  /** The names the exec's move left behind, or null when it did not move (the sink reported an error). */
  private static Set<String> moved(RemoteShell shell, ChannelExec ch, String cmd, InputStream in) throws IOException {
    shell.awaitExit(ch, cmd);
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    if (!text.startsWith(MOVED + "\0")) return null;
    return names(text.substring(MOVED.length() + 1));
  }

  private static Set<String> names(String nulSeparated) {
    Set<String> names = new HashSet<>();
    for (String name : nulSeparated.split("\0")) if (!name.isEmpty()) names.add(name);
    return names;
  }

  /**
   * Moves the stored files from {@code tmpDir} into {@code dir} (one {@code mv} per 32 KiB of
   * names) and returns the names left in {@code tmpDir} afterwards (moves that failed, and partial
   * files of failed members); removes {@code tmpDir} when nothing is left.
   */
  static Set<String> publish(RemoteShell shell, String tmpDir, String dir, List<Stored> stored)
      throws IOException {
    StringBuilder script = new StringBuilder();
    int i = 0;
    while (i < stored.size()) {
      int start = script.length();
      script.append("mv -f --");
      while (i < stored.size() && (script.length() - start < MAX_SCRIPT)) {
        script.append(' ').append(Shell.path(stored.get(i++).tmp()));
      }
      // stderr is dropped: a failed move is tried again alone, whose message is then classified
      script.append(' ').append(Shell.path(dir)).append(" 2>/dev/null; ");
    }
    script.append(listLeftAndRemove(Shell.path(tmpDir)));
    RemoteShell.Result r = shell.run("sh -c " + Shell.quote(script.toString()));
    if (r.status() != 0) throw RemoteShell.failure("cannot move files from " + tmpDir, r.status(), r.err());
    return names(r.text());
  }

  /** Every entry of the quoted directory {@code t}, hidden ones too; a pattern matching nothing stays as it is. */
  private static String everything(String t) {
    return t + "/* " + t + "/.[!.]* " + t + "/..?*";
  }

  /**
   * Shell commands printing the names left in the quoted directory {@code t}, each ending with NUL
   * (anything but NUL and '/' may occur in a name), then removing {@code t} if it is empty; all
   * builtins but rmdir, so that no more programs start on the remote host.
   */
  private static String listLeftAndRemove(String t) {
    return "for f in " + everything(t) + "; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then "
        + "printf '%s\\0' \"${f##*/}\"; fi; done; rmdir -- " + t + " 2>/dev/null; true;";
  }

  private static Ack ack(InputStream in) throws IOException {
    int c = in.read();
    if (c <= 0) return new Ack(c, null);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0 && b != '\n'; ) line.write(b);
    return new Ack(c, line.toString(StandardCharsets.UTF_8).strip());
  }

  private static TransferException failure(String what, Ack a, ChannelExec ch, String cmd, RemoteShell.Stderr err,
      BiFunction<String, Exception, TransferException> classify) {
    if (a.code() < 0) {
      return classify.apply(what, RemoteShell.whyClosed(ch, cmd, err, what, new EOFException("scp ended without answering")));
    }
    return new TransferException(ScpErrors.commandKind(a.line()), what + ": " + a.line());
  }
}
