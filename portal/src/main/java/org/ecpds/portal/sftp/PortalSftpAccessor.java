package org.ecpds.portal.sftp;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * MINA's default accessor opens files as {@link java.nio.channels.FileChannel}s, which a virtual file
 * system cannot provide; a plain byte channel is all the SFTP subsystem needs for reads.
 */
final class PortalSftpAccessor implements SftpFileSystemAccessor {

  @Override
  public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
      String handle, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return Files.newByteChannel(file, options);
  }

  @Override
  public String toString() {
    return "PortalSftpAccessor";
  }
}
