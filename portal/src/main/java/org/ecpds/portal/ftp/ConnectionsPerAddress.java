package org.ecpds.portal.ftp;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;

/** Refuses a control connection (421) when its address already holds the allowed number. */
final class ConnectionsPerAddress extends DefaultFtplet {
  private final int max;
  private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

  ConnectionsPerAddress(int max) {
    this.max = max;
  }

  @Override
  public FtpletResult onConnect(FtpSession session) throws FtpException {
    // counted even when refused: onDisconnect follows for every connection
    int n = open.computeIfAbsent(session.getClientAddress().getAddress(), a -> new AtomicInteger()).incrementAndGet();
    if (n <= max) return FtpletResult.DEFAULT;
    session.write(new DefaultFtpReply(421, "Too many connections from your address, try again later"));
    return FtpletResult.DISCONNECT;
  }

  @Override
  public FtpletResult onDisconnect(FtpSession session) {
    InetAddress a = session.getClientAddress().getAddress();
    open.computeIfPresent(a, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    return FtpletResult.DEFAULT;
  }
}
