package org.ecpds.portal.ftp;

import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpFile;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.PortalFs;

/**
 * One session's view of the portal tree. Every client path goes through {@link FsPath#resolve} against
 * the working directory, so ".." above the root, control characters and over-long names never reach
 * the portal file system; such names come back as {@link PortalFtpFile#invalid} files that do not exist.
 */
final class PortalFileSystemView implements FileSystemView {
  private final PortalFs fs;
  private final java.util.function.Consumer<PortalFileSystemView> onDispose;
  private final java.util.concurrent.atomic.AtomicBoolean disposed = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile FsPath cwd = FsPath.ROOT;

  PortalFileSystemView(PortalFs fs) {
    this(fs, v -> { });
  }

  /** @param onDispose told once, when the session's portal slot has been released */
  PortalFileSystemView(PortalFs fs, java.util.function.Consumer<PortalFileSystemView> onDispose) {
    this.fs = fs;
    this.onDispose = onDispose;
  }

  PortalFs fs() {
    return fs;
  }

  /** The portal path for what the client sent. */
  FsPath resolve(String clientPath) throws FsException {
    return cwd.resolve(clientPath == null ? "" : clientPath);
  }

  @Override
  public FtpFile getHomeDirectory() {
    return PortalFtpFile.of(fs, FsPath.ROOT);
  }

  @Override
  public FtpFile getWorkingDirectory() {
    return PortalFtpFile.of(fs, cwd);
  }

  @Override
  public boolean changeWorkingDirectory(String dir) {
    try {
      FsPath target = resolve(dir);
      if (!fs.stat(target).directory()) return false;
      cwd = target;
      return true;
    } catch (FsException e) {
      return false;
    }
  }

  @Override
  public FtpFile getFile(String file) {
    try {
      return PortalFtpFile.of(fs, resolve(file));
    } catch (FsException e) {
      return PortalFtpFile.invalid(fs, file, e);
    }
  }

  @Override
  public boolean isRandomAccessible() {
    return true;
  }

  /**
   * FtpServer calls this when the control connection closes, and the server once more for every
   * session left when it stops: the portal session's slot is released exactly once.
   */
  @Override
  public void dispose() {
    if (!disposed.compareAndSet(false, true)) return;
    try {
      fs.close();
    } finally {
      onDispose.accept(this);
    }
  }
}
