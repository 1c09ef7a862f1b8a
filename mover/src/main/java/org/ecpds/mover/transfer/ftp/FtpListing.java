package org.ecpds.mover.transfer.ftp;

import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import org.apache.commons.net.ftp.FTPFile;
import org.ecpds.mover.transfer.RemoteFile;

/** Turns parsed MLSD or LIST entries into {@link RemoteFile}s. */
final class FtpListing {
  private FtpListing() {}

  static List<RemoteFile> toRemoteFiles(FTPFile[] entries) {
    List<RemoteFile> out = new ArrayList<>(entries.length);
    for (FTPFile f : entries) {
      if (f == null || !f.isValid()) continue; // a LIST line the parser could not read
      String name = f.getName();
      if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) continue;
      // MLSD "type=cdir/pdir" entries carry the directory's own name on some servers
      String type = f.getRawListing() == null ? "" : f.getRawListing().toLowerCase(java.util.Locale.ROOT);
      if (type.contains("type=cdir") || type.contains("type=pdir")) continue;
      Calendar ts = f.getTimestamp();
      out.add(new RemoteFile(name, f.getSize(), ts == null ? 0 : ts.getTimeInMillis(), f.isDirectory()));
    }
    return out;
  }
}
