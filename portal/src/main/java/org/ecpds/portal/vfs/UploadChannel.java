package org.ecpds.portal.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsUpload;

/**
 * An upload as the seekable channel MINA writes to. Uploads are sequential (every client we serve
 * writes in order; MINA handles one request of a handle after the other): a write anywhere but at the
 * end is refused as unsupported. Closing commits: the close's answer is the upload's outcome, so a
 * client sees a refused commit (quota, master unreachable) as the failure of its close. A channel
 * {@link #abandon abandoned} first (the client hung up, scp sent fewer bytes than announced) discards
 * the upload when it closes.
 */
public final class UploadChannel implements SeekableByteChannel {
  private final FsUpload upload;
  private final String path;
  private long position;
  private boolean open = true;
  private boolean abandoned;

  UploadChannel(FsUpload upload, String path) {
    this.upload = upload;
    this.path = path;
  }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    ensureOpen();
    if (position != upload.written()) {
      throw new SftpException(SftpConstants.SSH_FX_OP_UNSUPPORTED, "portal uploads are written from start to end");
    }
    int n = 0;
    try {
      while (src.hasRemaining()) n += upload.write(src);
    } catch (FsException e) {
      abandoned = true; // e.g. past the user's quota: the upload is over, closing must not publish it
      throw NioErrors.of(e, path);
    }
    position += n;
    return n;
  }

  @Override
  public int read(ByteBuffer dst) {
    throw new NonReadableChannelException();
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public synchronized SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    position = newPosition;
    return this;
  }

  @Override
  public synchronized long size() throws IOException {
    return upload.written();
  }

  @Override
  public synchronized SeekableByteChannel truncate(long size) throws IOException {
    if (size != upload.written()) {
      throw new SftpException(SftpConstants.SSH_FX_OP_UNSUPPORTED, "portal uploads cannot be truncated");
    }
    return this;
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  /** The upload is incomplete: closing discards it instead of publishing it. */
  public synchronized void abandon() {
    abandoned = true;
  }

  @Override
  public synchronized void close() throws IOException {
    if (!open) return;
    open = false;
    if (abandoned) {
      upload.close();
      return;
    }
    try {
      upload.commit();
    } catch (FsException e) {
      throw NioErrors.of(e, path);
    } finally {
      upload.close();
    }
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) throw new ClosedChannelException();
  }
}
