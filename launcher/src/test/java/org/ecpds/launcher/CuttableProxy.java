package org.ecpds.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy that can cut the link: cut() resets every open connection (RST, as a
 * firewall or a dead router would) and resets new ones until restore(). It can also be a slow link:
 * each direction of each connection at most {@code bytesPerSecond}. Blocking sockets, two pump
 * threads per connection: the test's links are few.
 */
final class CuttableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final long bytesPerSecond;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile int cuts;

  CuttableProxy(int targetPort) throws IOException {
    this(targetPort, 0);
  }

  /** A proxy whose connections carry at most {@code bytesPerSecond} each way (0: no limit). */
  CuttableProxy(int targetPort, long bytesPerSecond) throws IOException {
    this.targetPort = targetPort;
    this.bytesPerSecond = bytesPerSecond;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Resets all connections now and every new one until restore(). */
  void cut() {
    cut = true;
    cuts++;
    open.forEach(CuttableProxy::reset);
  }

  void restore() {
    cut = false;
  }

  int cuts() {
    return cuts;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (cut) {
        reset(client);
        continue;
      }
      try {
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[bytesPerSecond > 0 ? 16 * 1024 : 64 * 1024];
      long next = System.nanoTime();
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          if (bytesPerSecond > 0) next = pace(next, n);
        }
      } catch (IOException ignored) {
        // the other side or a cut ended the link
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        reset(from);
        reset(to);
        open.remove(from);
        open.remove(to);
      }
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Holds the pump until {@code n} more bytes fit the rate. An idle link earns no credit (the slot
   * starts no earlier than now), so a kept connection never bursts after a pause.
   */
  private long pace(long next, int n) throws InterruptedException {
    long slot = Math.max(next, System.nanoTime()) + n * 1_000_000_000L / bytesPerSecond;
    long wait = slot - System.nanoTime();
    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    return slot;
  }

  /** Closes with SO_LINGER 0: the peer gets a RST, not an orderly FIN. */
  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // already closed
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
  }
}
