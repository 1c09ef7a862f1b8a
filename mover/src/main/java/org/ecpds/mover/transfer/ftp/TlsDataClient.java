package org.ecpds.mover.transfer.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * An FTPS client that can end an upload's data connection cleanly. With TLS 1.3 the server sends
 * session tickets after the handshake; an upload never reads them, so closing the data socket
 * with them unread makes the kernel send a reset, and the server (vsftpd: "426 Failure reading
 * network stream") may lose the end of the file. {@link #finishUpload()} half-closes the TLS
 * stream and reads to the end before the socket is closed.
 */
final class TlsDataClient extends FTPSClient implements ListingData {
  private volatile Socket data;

  TlsDataClient(boolean implicit, SSLContext context) {
    super(implicit, context);
  }

  @Override
  protected Socket _openDataConnection_(String command, String arg) throws IOException {
    Socket s = super._openDataConnection_(command, arg);
    data = s;
    return s;
  }

  @Override
  public Socket openListing(String command, String arg) throws IOException {
    return _openDataConnection_(command, arg);
  }

  /** After the last byte is written, before the stream is closed: close_notify, then drain. */
  void finishUpload() {
    Socket s = data;
    data = null;
    if (!(s instanceof SSLSocket ssl) || ssl.isClosed()) return;
    try {
      ssl.shutdownOutput();
      InputStream in = ssl.getInputStream();
      byte[] sink = new byte[8192];
      while (in.read(sink) >= 0) {
        // discard: only post-handshake messages and the server's close can arrive on an upload
      }
    } catch (IOException e) {
      // the server closed first or TLS 1.2 closed both ways: the reply to STOR tells the outcome
    }
  }
}
