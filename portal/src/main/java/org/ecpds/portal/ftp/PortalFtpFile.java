package org.ecpds.portal.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.ftpserver.ftplet.FtpFile;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.PortalFs;

/**
 * A portal path as FtpServer's listing, SIZE, MDTM, MFMT, CWD and RNFR commands see it. The entry is
 * looked up once (a listing passes the entries it already has). Writes, deletes and transfers go through
 * the portal commands (see {@link PortalCommands}), which report the portal's refusal kinds; the boolean
 * mutators here only serve FtpServer commands that are not replaced.
 */
final class PortalFtpFile implements FtpFile {
  private final PortalFs fs;
  private final FsPath path;
  private final String displayPath;
  private final FsEntry entry;
  /** Why the path could not be looked up: null when it exists. */
  private final FsException failure;

  private PortalFtpFile(PortalFs fs, FsPath path, String displayPath, FsEntry entry, FsException failure) {
    this.fs = fs;
    this.path = path;
    this.displayPath = displayPath;
    this.entry = entry;
    this.failure = failure;
  }

  static PortalFtpFile of(PortalFs fs, FsPath path) {
    try {
      return new PortalFtpFile(fs, path, path.toString(), fs.stat(path), null);
    } catch (FsException e) {
      return new PortalFtpFile(fs, path, path.toString(), null, e);
    }
  }

  static PortalFtpFile listed(PortalFs fs, FsEntry entry) {
    return new PortalFtpFile(fs, entry.path(), entry.path().toString(), entry, null);
  }

  /** A name FsPath refused: it exists for no one and every operation on it fails. */
  static PortalFtpFile invalid(PortalFs fs, String clientPath, FsException why) {
    String shown = clientPath == null ? "" : clientPath.replaceAll("\\p{Cntrl}", "?");
    return new PortalFtpFile(fs, null, shown, null, why);
  }

  /** The portal path; null for a name that cannot be addressed. */
  FsPath path() {
    return path;
  }

  /** Why this file does not exist (not found, refused name...); null when it does. */
  FsException failure() {
    return failure;
  }

  @Override public String getAbsolutePath() { return displayPath; }
  @Override public String getName() { return path == null ? displayPath : (path.isRoot() ? "/" : path.name()); }
  @Override public boolean isHidden() { return false; }
  @Override public boolean isDirectory() { return entry != null && entry.directory(); }
  @Override public boolean isFile() { return entry != null && !entry.directory(); }
  @Override public boolean doesExist() { return entry != null; }

  @Override
  public boolean isReadable() {
    return entry != null && (entry.directory() || fs.allowed(FsPermission.GET, path));
  }

  @Override
  public boolean isWritable() {
    return path != null && !path.isRoot() && fs.allowed(FsPermission.PUT, path);
  }

  @Override
  public boolean isRemovable() {
    return entry != null && !path.isRoot() && !path.isDestination()
        && fs.allowed(entry.directory() ? FsPermission.RMDIR : FsPermission.DELETE, path);
  }

  @Override public String getOwnerName() { return fs.user(); }
  @Override public String getGroupName() { return "portal"; }
  @Override public int getLinkCount() { return entry != null && entry.directory() ? 2 : 1; }
  @Override public long getLastModified() { return entry == null ? 0 : entry.modifiedMillis(); }
  @Override public long getSize() { return entry == null ? 0 : entry.size(); }
  @Override public Object getPhysicalFile() { return path; }

  @Override
  public boolean setLastModified(long time) {
    if (entry == null) return false;
    try {
      fs.setModified(path, time);
      return true;
    } catch (FsException e) {
      return false;
    }
  }

  @Override
  public boolean mkdir() {
    if (path == null) return false;
    try {
      fs.mkdir(path);
      return true;
    } catch (FsException e) {
      return false;
    }
  }

  @Override
  public boolean delete() {
    if (entry == null) return false;
    try {
      if (entry.directory()) fs.rmdir(path);
      else fs.delete(path);
      return true;
    } catch (FsException e) {
      return false;
    }
  }

  @Override
  public boolean move(FtpFile destination) {
    if (entry == null || !(destination instanceof PortalFtpFile to) || to.path == null) return false;
    try {
      fs.rename(path, to.path);
      return true;
    } catch (FsException e) {
      return false;
    }
  }

  /**
   * The entries of a directory. A refusal cannot be told through FtpServer's listing code (it would
   * list nothing and answer 226), so it travels as {@link ListingRefused} to the command wrapper.
   */
  @Override
  public List<? extends FtpFile> listFiles() {
    if (entry == null || !entry.directory()) return null;
    try {
      List<PortalFtpFile> out = new ArrayList<>();
      for (FsEntry e : fs.list(path)) out.add(listed(fs, e));
      return out;
    } catch (FsException e) {
      throw new ListingRefused(e);
    }
  }

  /** A listing the portal refused, carried out of FtpServer's LIST/NLST/MLSD (see PortalCommandFactory). */
  static final class ListingRefused extends RuntimeException {
    ListingRefused(FsException cause) {
      super(cause.getMessage(), cause, false, false);
    }

    FsException refusal() {
      return (FsException) getCause();
    }
  }

  @Override
  public OutputStream createOutputStream(long offset) throws IOException {
    throw new FsException(FsException.Kind.DENIED, path, "uploads go through the portal's STOR");
  }

  /** Downloads go through the portal's RETR, which reads through an FsReader and closes it. */
  @Override
  public InputStream createInputStream(long offset) throws IOException {
    throw new FsException(FsException.Kind.DENIED, path, "downloads go through the portal's RETR");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortalFtpFile f && java.util.Objects.equals(f.path, path) && f.displayPath.equals(displayPath);
  }

  @Override
  public int hashCode() {
    return displayPath.hashCode();
  }
}
