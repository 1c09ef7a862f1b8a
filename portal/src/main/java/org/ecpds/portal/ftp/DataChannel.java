package org.ecpds.portal.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.IODataConnection;

/**
 * Moves a RETR's or STOR's bytes over the data connection in 256 KiB blocks. FtpServer's own copy
 * (IODataConnection.transfer) goes 4 KiB at a time through 8 KiB buffered streams with a rate check
 * per block: scripts/bench/portal measured plain-FTP downloads and uploads at about half of
 * pure-ftpd's. The data socket is a private field of ftpserver-core 1.2.1's IODataConnection (the
 * version is pinned); when it cannot be read, or in ASCII type or MODE Z, where FtpServer converts
 * the bytes, FtpServer's copy runs.
 */
final class DataChannel {
  private static final int BLOCK = 256 * 1024;
  private static final Field SOCKET = socketField();

  private DataChannel() {}

  private static Field socketField() {
    try {
      Field f = IODataConnection.class.getDeclaredField("socket");
      f.setAccessible(true);
      return f.getType() == Socket.class ? f : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The raw data socket when this transfer copies bytes unchanged, otherwise null. */
  private static Socket socket(FtpIoSession session, DataConnection data) {
    if (SOCKET == null || !(data instanceof IODataConnection) || session.getDataType() == DataType.ASCII
        || session.getDataConnection().isZipMode()) {
      return null;
    }
    try {
      return (Socket) SOCKET.get(data);
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  /** Sends all of {@code in} and closes the data socket; returns the bytes sent. */
  static long toClient(FtpIoSession session, DataConnection data, InputStream in) throws IOException {
    Socket socket = socket(session, data);
    if (socket == null) return data.transferToClient(session.getFtpletSession(), in);
    try (OutputStream out = socket.getOutputStream()) {
      return copy(session, in, out);
    }
  }

  /** Copies the data connection into {@code out} until the client closes it; returns the bytes received. */
  static long fromClient(FtpIoSession session, DataConnection data, OutputStream out) throws IOException {
    Socket socket = socket(session, data);
    if (socket == null) return data.transferFromClient(session.getFtpletSession(), out);
    try (InputStream in = socket.getInputStream()) {
      return copy(session, in, out);
    }
  }

  private static long copy(FtpIoSession session, InputStream in, OutputStream out) throws IOException {
    byte[] block = new byte[BLOCK];
    long copied = 0;
    for (int n; (n = in.read(block)) >= 0; ) {
      out.write(block, 0, n);
      copied += n;
      session.updateLastAccessTime(); // a long transfer keeps the control connection from idling out
    }
    return copied;
  }
}
