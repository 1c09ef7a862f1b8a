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
      RemoteFile r = toRemoteFile(f);
      if (r != null) out.add(r);
    }
    return out;
  }

  /** The entry, or null for one to skip: unparsable, ".", ".." or the MLSD cdir/pdir lines. */
  static RemoteFile toRemoteFile(FTPFile f) {
    if (f == null || !f.isValid()) return null; // a LIST line the parser could not read
    String name = f.getName();
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) return null;
    // MLSD "type=cdir/pdir" entries carry the directory's own name on some servers
    String type = f.getRawListing() == null ? "" : f.getRawListing().toLowerCase(java.util.Locale.ROOT);
    if (type.contains("type=cdir") || type.contains("type=pdir")) return null;
    Calendar ts = f.getTimestamp();
    long mtime = mlsdModify(f.getRawListing(), ts == null ? 0 : ts.getTimeInMillis());
    return new RemoteFile(name, f.getSize(), mtime, f.isDirectory(), f.isSymbolicLink());
  }

  /**
   * The MLSD "modify" fact (UTC, RFC 3659), read here because commons-net 3.13 takes the digits
   * after the point as milliseconds (".5" becomes 5 ms instead of 500 ms).
   */
  static long mlsdModify(String raw, long fallback) {
    if (raw == null) return fallback;
    int sp = raw.indexOf(' ');
    String facts = (sp < 0 ? raw : raw.substring(0, sp)).toLowerCase(java.util.Locale.ROOT);
    for (String fact : facts.split(";")) {
      if (!fact.startsWith("modify=")) continue;
      String v = fact.substring(7);
      if (v.length() < 14 || !v.substring(0, 14).chars().allMatch(Character::isDigit)) return fallback;
      java.time.LocalDateTime t = java.time.LocalDateTime.parse(v.substring(0, 14),
          java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
      long ms = t.toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
      if (v.length() > 15 && v.charAt(14) == '.') {
        String frac = (v.substring(15).replaceAll("\\D.*", "") + "000").substring(0, 3);
        ms += Integer.parseInt(frac);
      }
      return ms;
    }
    return fallback;
  }
}
