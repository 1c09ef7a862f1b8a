package org.ecpds.master.acquisition;

import java.util.Objects;

/**
 * One entry of a remote directory listing, as a mover reports it (proto {@code RemoteEntry}).
 * {@code name} is the entry's name inside the listed directory.
 */
public record RemoteFile(String name, long size, long modifiedMillis, boolean directory, boolean symlink) {
  public RemoteFile {
    Objects.requireNonNull(name, "name");
  }

  public static RemoteFile file(String name, long size, long modifiedMillis) {
    return new RemoteFile(name, size, modifiedMillis, false, false);
  }
}
