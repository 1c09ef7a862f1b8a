package org.ecpds.portal.sftp;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.session.ServerSession;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.ecpds.portal.vfs.PortalFileSystemProvider;
import org.ecpds.portal.vfs.PortalSession;

/** Gives every authenticated SSH session its own virtual tree. */
final class PortalFileSystemFactory implements FileSystemFactory {
  private final PortalFileSystemProvider provider = new PortalFileSystemProvider();
  private final PortalBackend backend;
  private final String moverName;

  PortalFileSystemFactory(PortalBackend backend, String moverName) {
    this.backend = backend;
    this.moverName = moverName;
  }

  @Override
  public FileSystem createFileSystem(SessionContext context) throws IOException {
    PortalUser user = context.getAttribute(PortalPasswordAuthenticator.USER);
    if (user == null || !(context instanceof ServerSession session)) {
      throw new IOException("session is not authenticated by the portal");
    }
    return provider.newFileSystem(new PortalSession(backend, user, PortalSftpServer.PROTOCOL,
        PortalPasswordAuthenticator.remoteAddress(session), moverName));
  }

  @Override
  public Path getUserHomeDir(SessionContext context) throws IOException {
    return createFileSystem(context).getPath("/");
  }
}
