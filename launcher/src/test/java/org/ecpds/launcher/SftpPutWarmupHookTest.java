package org.ecpds.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.mover.transfer.sftp.SftpModuleFactory;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.ecpds.portal.sftp.PortalSftpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mover's SFTP module warms its upload path through the portal's own listener (mover.sftp.warmupMiB). */
class SftpPutWarmupHookTest {
  @TempDir Path tmp;

  /** No user of the portal exists: only the warm-up session can log in. */
  private static final PortalLogin NOBODY = new PortalLogin() {
    @Override
    public PortalFs password(String user, String password, String protocol, InetSocketAddress remote)
        throws LoginException {
      throw new LoginException("no such user", null);
    }

    @Override
    public PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote)
        throws LoginException {
      throw new LoginException("no such user", null);
    }
  };

  @Test
  void theMoversSftpModuleSendsTheBytesThroughTheListenerWithTheWarmupKeyAndThePinnedHostKey() throws Exception {
    long bytes = 9L << 20; // several write requests: the large-file path, not the one-request put
    try (TransferModules modules = new TransferModules().register(new SftpModuleFactory());
         PortalSftpServer server = new PortalSftpServer(NOBODY, "127.0.0.1", 0, tmp.resolve("keys"), "m-w")
             .warmupUploads(new SftpPutWarmupHook(modules), bytes)) {
      server.start();
      assertEquals(bytes, server.uploadWarmedUp().get(60, TimeUnit.SECONDS));
    }
  }
}
