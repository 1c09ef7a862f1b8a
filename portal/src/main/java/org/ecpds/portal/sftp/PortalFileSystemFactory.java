package org.ecpds.portal.sftp;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.vfs.PortalFileSystemProvider;

/** Gives every SFTP or scp channel an NIO view of its SSH session's portal file system. */
final class PortalFileSystemFactory implements FileSystemFactory {
  private final PortalFileSystemProvider provider = new PortalFileSystemProvider();

  @Override
  public FileSystem createFileSystem(SessionContext context) throws IOException {
    return provider.newFileSystem(session(context));
  }

  /** The session's file system as seen through another protocol of the connection (scp). */
  FileSystem createFileSystem(SessionContext context, String protocol) throws IOException {
    return provider.newFileSystem(session(context).overProtocol(protocol));
  }

  private static PortalFs session(SessionContext context) throws IOException {
    PortalFs fs = context.getAttribute(SshLogins.FS);
    if (fs == null) throw new IOException("session is not authenticated by the portal");
    return fs;
  }

  @Override
  public Path getUserHomeDir(SessionContext context) throws IOException {
    return createFileSystem(context).getPath("/");
  }
}
