package org.ecpds.mover.transfer.scp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.sshd.client.channel.ChannelExec;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.SourceStream;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * Several files into one directory with one {@code scp -t -d DIR} (the sink takes one C record per
 * file and answers each on its own: a file it cannot open or write fails alone), then all the
 * renames in one more exec that prints each {@code mv}'s exit status. A file costs two protocol
 * lines instead of a channel, a shell, an scp and an mv process of its own.
 */
final class ScpBatch {
  private static final int BUFFER = 256 * 1024;
  /** Keeps one rename command line well under any sshd or shell limit. */
  private static final int MAX_SCRIPT = 32 * 1024;

  /** A batch member once its bytes are in the temporary name. */
  record Stored(int index, String tmp, String target, long bytes) {}

  /** What the sink said: 0 OK, 1 this file failed, 2 fatal (the sink ends); -1 the stream ended. */
  private record Ack(int code, String line) {}

  private ScpBatch() {}

  /** The sink would not start (e.g. the directory is missing): no member was touched. */
  static final class Refused extends TransferException {
    Refused(ErrorKind kind, String message) {
      super(kind, message);
    }
  }

  /**
   * Sends the {@code members} of {@code puts} (all into {@code dir}) to their temporary names; sets
   * {@code out} for each one that failed and returns the stored ones. When the exec breaks off, the
   * member under way fails and the members after it stay null (not attempted).
   */
  static List<Stored> send(RemoteShell shell, String dir, List<Integer> members, List<? extends BatchPut> puts,
      List<String> tmps, List<String> targets, PutResult[] out, BiFunction<String, Exception, TransferException> classify)
      throws IOException {
    String cmd = "scp -t -d -- " + Shell.path(dir);
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
      if (ready.code() != 0) throw new Refused(ScpErrors.commandKind(ready.line()), "scp to " + dir + ": " + ready.line());
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
            return stored; // fatal or gone: the sink has ended
          }
          SourceStream s = new SourceStream(src, p.size(), p.progress());
          try {
            for (int n; (n = s.read(buf, 0, buf.length)) > 0; ) os.write(buf, 0, n);
          } catch (TransferException e) {
            // the sink counts on the announced bytes: this exec cannot go on; the members after it go again
            out[i] = PutResult.failed(new TransferException(e.kind(), what + ": " + e.getMessage(), e));
            return stored;
          }
          os.write(0);
          os.flush();
          a = ack(in);
          if (a.code() != 0) {
            out[i] = PutResult.failed(failure(what, a, ch, cmd, err, classify));
            if (a.code() == 1) continue;
            return stored;
          }
          stored.add(new Stored(i, tmp, targets.get(i), s.count()));
        } catch (IOException e) {
          out[i] = PutResult.failed(classify.apply(what, RemoteShell.whyClosed(ch, cmd, err, what, e)));
          return stored;
        }
      }
    } finally {
      ch.close(false);
    }
    return stored;
  }

  /**
   * Renames the stored files, as many per command line as fit; returns each one's exit status
   * (in {@code stored} order).
   */
  static int[] publish(RemoteShell shell, List<Stored> stored) throws IOException {
    int[] status = new int[stored.size()];
    int from = 0;
    while (from < stored.size()) {
      StringBuilder script = new StringBuilder();
      int to = from;
      while (to < stored.size() && (to == from || script.length() < MAX_SCRIPT)) {
        Stored s = stored.get(to++);
        // stderr is dropped: a failed rename is retried alone, whose message is then classified
        script.append("mv -f -- ").append(Shell.path(s.tmp())).append(' ').append(Shell.path(s.target()))
            .append(" 2>/dev/null; echo $?; ");
      }
      RemoteShell.Result r = shell.run("sh -c " + Shell.quote(script.toString()));
      String[] lines = r.text().split("\n");
      for (int k = from; k < to; k++) {
        int line = k - from;
        status[k] = line < lines.length && lines[line].strip().matches("\\d+") ? Integer.parseInt(lines[line].strip()) : -1;
      }
      from = to;
    }
    return status;
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
