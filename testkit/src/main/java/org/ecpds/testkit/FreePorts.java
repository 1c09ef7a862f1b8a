package org.ecpds.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Free loopback ports and waiting for a listener to come up. */
public final class FreePorts {
  private FreePorts() {}

  /** Below Linux's ephemeral range (32768-60999), which the kernel hands to client sockets and to port 0. */
  static final int FIRST = 20_000;
  static final int LAST = 32_767;

  /**
   * A free loopback port for an external server (one that cannot report a port 0 binding), taken
   * below the ephemeral range: a port freed by a stopped server is then not taken by the next
   * client socket on the machine, and a "server down" test never talks to a stranger.
   */
  public static int next() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    IOException last = null;
    for (int i = 0; i < 500; i++) {
      int port = random.nextInt(FIRST, LAST + 1);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException e) {
        last = e; // in use: another one
      }
    }
    throw new UncheckedIOException("no free loopback port in " + FIRST + "-" + LAST, last);
  }

  public static void awaitListening(int port, Duration timeout) {
    awaitListening(port, timeout, null);
  }

  /**
   * Waits until something listens on the port; with {@code server} given, fails as soon as that
   * process has exited (it could not bind, and whatever listens there is not it).
   */
  public static void awaitListening(int port, Duration timeout, Process server) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (server != null && !server.isAlive()) {
        throw new IllegalStateException("the server exited (exit status " + server.exitValue() + ") before listening on 127.0.0.1:" + port);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        sleep(50);
      }
    }
    throw new IllegalStateException("nothing listening on 127.0.0.1:" + port + " after " + timeout);
  }

  /**
   * A loopback port that refuses connections and that others will not be handed: bound, not
   * listening. Port-0 binds and outgoing connections' local ports skip a port that has a bound
   * socket, so "nobody listens here" stays true while it is held (a port merely found free may be
   * taken by any process on the machine a moment later). SO_REUSEADDR lets it be held over the
   * TIME_WAIT connections of a server that was just killed.
   */
  public static ClosedPort closedPort() {
    return closedPort(0);
  }

  /** Holds {@code port} closed (0: any free port). */
  public static ClosedPort closedPort(int port) {
    Socket s = new Socket();
    try {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return new ClosedPort(s);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing was bound
      }
      throw new UncheckedIOException("cannot hold 127.0.0.1:" + port + " closed", e);
    }
  }

  /** See {@link #closedPort()}; closing releases the port. */
  public static final class ClosedPort implements AutoCloseable {
    private final Socket socket;

    private ClosedPort(Socket socket) {
      this.socket = socket;
    }

    public int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // the port is released either way
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
