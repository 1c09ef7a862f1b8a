package org.ecpds.portal.sftp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.scp.common.helpers.DefaultScpFileOpener;
import org.ecpds.portal.vfs.UploadChannel;

/**
 * scp announces each file's length before its bytes; an upload that ends short (the client hung up)
 * is abandoned instead of being published when scp closes its stream.
 */
final class PortalScpFileOpener extends DefaultScpFileOpener {

  @Override
  public OutputStream openWrite(Session session, Path file, long size, Set<PosixFilePermission> perms,
      OpenOption... options) throws IOException {
    SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING);
    return new OutputStream() {
      private long written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) channel.write(buf);
        written += len;
      }

      @Override
      public void close() throws IOException {
        if (written != size && channel instanceof UploadChannel upload) upload.abandon();
        channel.close();
      }
    };
  }
}
