package org.ecpds.mover.transfer;

/** An entry of a remote directory listing; {@code symlink} where the protocol tells (SFTP, FTP). */
public record RemoteFile(String name, long size, long modifiedMillis, boolean directory, boolean symlink) {
  public RemoteFile(String name, long size, long modifiedMillis, boolean directory) {
    this(name, size, modifiedMillis, directory, false);
  }
}
