package org.ecpds.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * A progress bar on stderr for a large upload. Only on a terminal (the caller checks
 * {@code System.console()}): in pipes, scripts and tests stderr carries messages only.
 */
final class Progress {
  /** Smaller files go out too fast for a bar to be worth drawing. */
  static final long MIN_SIZE = 16L << 20;
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private Progress() {}

  /** The source unchanged unless stderr is a terminal and the file is large and of known size. */
  static PushSource onTerminal(PushSource source, PrintStream err) {
    if (source.size() < MIN_SIZE || !terminal()) return source;
    return wrap(source, err);
  }

  /**
   * Whether the JVM talks to a terminal. From JDK 22 System.console() may return a Console even when
   * the streams are redirected; Console.isTerminal() (JDK 22+) then tells, read reflectively on 17.
   */
  static boolean terminal() {
    java.io.Console c = System.console();
    if (c == null) return false;
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException before22) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  static PushSource wrap(PushSource source, PrintStream err) {
    return new PushSource() {
      @Override
      public String name() {
        return source.name();
      }

      @Override
      public long size() {
        return source.size();
      }

      @Override
      public InputStream open() throws CliException {
        return new Counting(source.open(), source.size(), err);
      }
    };
  }

  /** "[#######         ]  45% 123/272 MiB" */
  static String bar(long done, long total) {
    int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    int filled = percent * WIDTH / 100;
    return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + String.format("%3d%% %d/%d MiB", percent,
        done >> 20, total >> 20);
  }

  private static final class Counting extends FilterInputStream {
    private final long total;
    private final PrintStream err;
    private long done;
    private long drawn = System.nanoTime();
    private boolean finished;

    Counting(InputStream in, long total, PrintStream err) {
      super(in);
      this.total = total;
      this.err = err;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      advance(b < 0 ? -1 : 1);
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      advance(n);
      return n;
    }

    private void advance(int n) {
      if (n > 0) done += n;
      long now = System.nanoTime();
      boolean end = n < 0 || done >= total;
      if (finished || (!end && now - drawn < REDRAW_NANOS)) return;
      drawn = now;
      err.print("\r" + bar(done, total));
      if (end) {
        err.println();
        finished = true;
      }
      err.flush();
    }
  }
}
