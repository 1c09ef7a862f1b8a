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
    String raw = f.getRawListing();
    int facts = raw == null ? -1 : raw.indexOf(' '); // MLSD: "fact=value;fact=value; name"
    // MLSD "type=cdir/pdir" entries carry the directory's own name on some servers
    if (fact(raw, facts, "type=cdir") >= 0 || fact(raw, facts, "type=pdir") >= 0) return null;
    Calendar ts = f.getTimestamp();
    long mtime = mlsdModify(raw, ts == null ? 0 : ts.getTimeInMillis());
    return new RemoteFile(name, f.getSize(), mtime, f.isDirectory(), f.isSymbolicLink());
  }

  /** Where {@code key} (lower case, with its '=') starts among the first {@code end} characters, or -1. */
  private static int fact(String raw, int end, String key) {
    for (int i = 0; i + key.length() <= end; i = raw.indexOf(';', i) + 1) {
      if (raw.regionMatches(true, i, key, 0, key.length())) return i;
      if (raw.indexOf(';', i) < 0) break;
    }
    return -1;
  }

  /**
   * The MLSD "modify" fact (UTC, RFC 3659), read here because commons-net 3.13 takes the digits
   * after the point as milliseconds (".5" becomes 5 ms instead of 500 ms).
   */
  static long mlsdModify(String raw, long fallback) {
    if (raw == null) return fallback;
    int sp = raw.indexOf(' ');
    int at = fact(raw, sp < 0 ? raw.length() : sp, "modify=");
    if (at < 0) return fallback;
    int v = at + 7;
    if (raw.length() < v + 14) return fallback;
    for (int i = v; i < v + 14; i++) if (!Character.isDigit(raw.charAt(i))) return fallback;
    long ms;
    try {
      ms = java.time.LocalDateTime.of(num(raw, v, 4), num(raw, v + 4, 2), num(raw, v + 6, 2), num(raw, v + 8, 2),
          num(raw, v + 10, 2), num(raw, v + 12, 2)).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    } catch (java.time.DateTimeException e) { // e.g. month 13: the parser's reading, if any
      return fallback;
    }
    if (raw.length() > v + 15 && raw.charAt(v + 14) == '.') {
      int frac = 0;
      int digits = 0;
      for (int i = v + 15; i < raw.length() && digits < 3 && Character.isDigit(raw.charAt(i)); i++, digits++) {
        frac = frac * 10 + (raw.charAt(i) - '0');
      }
      for (; digits < 3; digits++) frac *= 10;
      ms += frac;
    }
    return ms;
  }

  private static int num(String s, int from, int len) {
    return Integer.parseInt(s, from, from + len, 10);
  }
}
