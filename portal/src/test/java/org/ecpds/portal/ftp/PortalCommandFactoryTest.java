package org.ecpds.portal.ftp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.apache.ftpserver.impl.DefaultFtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.transport.socket.DefaultSocketSessionConfig;
import org.ecpds.portal.fs.MemoryPortal;
import org.junit.jupiter.api.Test;

class PortalCommandFactoryTest {

  @Test
  void aControlConnectionsFirstCommandTurnsNaglesAlgorithmOff() throws Exception {
    // FtpServer's listener leaves it on: a 226 then waited for the client's delayed ACK of the 150
    DefaultSocketSessionConfig socket = new DefaultSocketSessionConfig();
    DummySession io = new DummySession();
    io.setConfig(socket);
    FtpIoSession session = new FtpIoSession(io, null);
    session.setListener(new ListenerFactory().createListener());
    assertFalse(socket.isTcpNoDelay());

    PortalCommandFactory commands = new PortalCommandFactory(new MemoryPortal(), FtpPortalSettings.loopbackAnyPorts(),
        null, Set.of());
    commands.getCommand("SITE").execute(session, null, new DefaultFtpRequest("SITE HELP"));
    assertTrue(socket.isTcpNoDelay());
  }
}
