package org.ecpds.portal.vfs;

import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PortalFile;

/** What a virtual path designates: the root, a (sub)directory of a destination, or a data file. */
sealed interface Node {

  boolean isDirectory();

  long size();

  long modifiedMillis();

  /** The root listing the user's destinations. */
  record Root(long modifiedMillis) implements Node {
    @Override public boolean isDirectory() { return true; }
    @Override public long size() { return 0; }
  }

  /** A destination ({@code relative} empty) or a directory inside it formed by target names with slashes. */
  record Directory(DestinationAccess access, String relative, long modifiedMillis) implements Node {
    @Override public boolean isDirectory() { return true; }
    @Override public long size() { return 0; }
  }

  record File(DestinationAccess access, PortalFile file) implements Node {
    @Override public boolean isDirectory() { return false; }
    @Override public long size() { return file.getSize(); }
    @Override public long modifiedMillis() { return file.getModifiedMillis(); }
  }
}
