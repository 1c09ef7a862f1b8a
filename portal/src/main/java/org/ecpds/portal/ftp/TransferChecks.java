package org.ecpds.portal.ftp;

import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.IODataConnectionFactory;
import org.apache.ftpserver.impl.ServerDataConnectionFactory;

/** What STOR and RETR check before answering 150. */
final class TransferChecks {
  private TransferChecks() {}

  /** PASV/EPSV/PORT/EPRT came first (FtpServer's data connection knows where to connect or listen). */
  static boolean dataChannelPrepared(FtpIoSession session) {
    ServerDataConnectionFactory dc = session.getDataConnection();
    return !(dc instanceof IODataConnectionFactory io) || io.getInetAddress() != null;
  }
}
