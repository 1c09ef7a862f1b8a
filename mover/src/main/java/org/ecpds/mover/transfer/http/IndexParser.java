package org.ecpds.mover.transfer.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ecpds.mover.transfer.RemoteFile;

/**
 * Directory listings served over plain HTTP.
 *
 * <p>HTML index pages (nginx autoindex, Apache mod_autoindex, most others): every {@code <a href>}
 * naming a direct child of the directory is an entry; a trailing '/' marks a directory. Parent,
 * sort ("?C=N;O=D"), absolute links elsewhere and fragments are skipped. The text that follows a
 * link on the same line gives a date ("28-Nov-2026 10:00", "2026-11-28 10:00[:ss]", read as UTC)
 * and an exact size in bytes when the page shows them; a rounded size ("1.2K") or none gives -1,
 * no date gives 0.
 *
 * <p>JSON (nginx {@code autoindex_format json}, or any array of objects, possibly under a field
 * of the top-level object): {@code name}, {@code type} ("directory"/"file"), {@code size} and
 * {@code mtime} (RFC 1123 date, ISO-8601 or epoch seconds).
 */
public final class IndexParser {
  private static final Pattern LINK = Pattern.compile("<a\\s[^>]*?href\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))[^>]*>",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern END_A = Pattern.compile("</a\\s*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern NGINX_DATE = Pattern.compile("(\\d{2}-[A-Za-z]{3}-\\d{4} \\d{2}:\\d{2}(?::\\d{2})?)");
  private static final Pattern ISO_DATE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(?::\\d{2})?)");
  private static final DateTimeFormatter NGINX = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm[:ss]", Locale.ENGLISH);
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd['T'][' ']HH:mm[:ss]", Locale.ENGLISH);

  private IndexParser() {}

  /**
   * @param dirPath the decoded URL path of the listed directory, ending with '/': absolute links are
   *     kept only below it
   */
  public static List<RemoteFile> html(Reader page, String dirPath) throws IOException {
    Map<String, RemoteFile> out = new LinkedHashMap<>();
    BufferedReader r = new BufferedReader(page, 64 * 1024);
    StringBuilder pending = new StringBuilder();
    for (String line; (line = r.readLine()) != null; ) {
      pending.append(line).append('\n');
      if (openTag(pending)) continue; // a tag spans lines: read on
      parseLine(pending.toString(), dirPath, out);
      pending.setLength(0);
    }
    if (pending.length() > 0) parseLine(pending.toString(), dirPath, out);
    return new ArrayList<>(out.values());
  }

  private static boolean openTag(CharSequence s) {
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c == '>') return false;
      if (c == '<') return s.length() < 1_000_000;
    }
    return false;
  }

  private static void parseLine(String line, String dirPath, Map<String, RemoteFile> out) {
    Matcher m = LINK.matcher(line);
    List<int[]> links = new ArrayList<>();
    List<String> hrefs = new ArrayList<>();
    while (m.find()) {
      links.add(new int[] {m.start(), m.end()});
      hrefs.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    for (int i = 0; i < links.size(); i++) {
      String name = childName(unescape(hrefs.get(i)), dirPath);
      if (name == null) continue;
      boolean dir = name.endsWith("/");
      if (dir) name = name.substring(0, name.length() - 1);
      int from = links.get(i)[1];
      Matcher end = END_A.matcher(line);
      if (end.find(from)) from = end.end();
      int to = i + 1 < links.size() ? links.get(i + 1)[0] : line.length();
      String trailer = from <= to ? text(line.substring(from, to)) : "";
      out.putIfAbsent(name, new RemoteFile(name, dir ? 0 : size(trailer), date(trailer), dir));
    }
  }

  /** The child name an href points to ("a%20b" -> "a b", "sub/" kept with its slash), or null. */
  static String childName(String href, String dirPath) {
    String h = href.trim();
    int cut = indexOfAny(h, '?', '#');
    if (cut == 0 || h.isEmpty()) return null; // sort links, anchors
    if (cut > 0) h = h.substring(0, cut);
    if (h.regionMatches(true, 0, "http://", 0, 7) || h.regionMatches(true, 0, "https://", 0, 8)) {
      int slash = h.indexOf('/', h.indexOf("//") + 2);
      if (slash < 0) return null;
      h = h.substring(slash);
    } else if (h.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return null; // mailto:, javascript:, ftp:... (a relative name with ':' is written "./a:b")
    }
    String p = UrlPaths.decode(h);
    if (p.startsWith("/")) {
      if (!p.startsWith(dirPath)) return null;
      p = p.substring(dirPath.length());
    }
    if (p.startsWith("./")) p = p.substring(2);
    if (p.isEmpty() || p.equals(".") || p.equals("..") || p.startsWith("../") || p.startsWith("/")) return null;
    int slash = p.indexOf('/');
    if (slash >= 0 && slash != p.length() - 1) return null; // deeper than a direct child
    return p;
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }

  private static String text(String html) {
    return unescape(html.replaceAll("<[^>]*>", " ")).replace('\u00a0', ' ').replaceAll("\\s+", " ").trim();
  }

  private static String unescape(String s) {
    if (s.indexOf('&') < 0) return s;
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&apos;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
  }

  /** The last token made only of digits is an exact byte count; "1.2K", "-" or nothing is unknown. */
  static long size(String trailer) {
    String rest = trailer.replace(',', ' ');
    Matcher d = NGINX_DATE.matcher(rest);
    if (d.find()) rest = rest.substring(0, d.start()) + " " + rest.substring(d.end());
    Matcher i = ISO_DATE.matcher(rest);
    if (i.find()) rest = rest.substring(0, i.start()) + " " + rest.substring(i.end());
    String[] tokens = rest.trim().split(" ");
    for (int k = tokens.length - 1; k >= 0; k--) {
      if (tokens[k].matches("\\d{1,19}")) return exactSize(tokens[k]);
      if (tokens[k].matches("[\\d.]+[KMGTP]?i?B?")) return -1;
    }
    return -1;
  }

  /** A 19-digit count beyond Long.MAX_VALUE is no size a server can have: unknown, not a NumberFormatException. */
  private static long exactSize(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static long date(String trailer) {
    try {
      Matcher d = NGINX_DATE.matcher(trailer);
      if (d.find()) return LocalDateTime.parse(d.group(1), NGINX).toInstant(ZoneOffset.UTC).toEpochMilli();
      Matcher i = ISO_DATE.matcher(trailer);
      if (i.find()) return LocalDateTime.parse(i.group(1), ISO).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException ignored) {
      // an unrecognised date: unknown
    }
    return 0;
  }

  public static List<RemoteFile> json(Reader body) throws IOException {
    Object root = new MiniJson(new BufferedReader(body, 64 * 1024)).value();
    List<?> items = root instanceof List<?> l ? l : firstArray(root);
    List<RemoteFile> out = new ArrayList<>();
    if (items == null) throw new IOException("the JSON listing has no array of entries");
    for (Object o : items) {
      if (!(o instanceof Map<?, ?> m)) continue;
      Object n = first(m, "name", "filename", "key", "path");
      if (n == null) continue;
      String name = UrlPaths.stripSlash(n.toString());
      name = name.substring(name.lastIndexOf('/') + 1);
      if (name.isEmpty() || name.equals(".") || name.equals("..")) continue;
      Object type = first(m, "type", "kind");
      Object isDir = first(m, "isDir", "is_dir", "directory");
      boolean dir = (type != null && type.toString().toLowerCase(Locale.ROOT).startsWith("dir"))
          || Boolean.TRUE.equals(isDir) || n.toString().endsWith("/");
      Object size = first(m, "size", "length", "bytes");
      long bytes = dir ? 0 : size instanceof Double d ? d.longValue() : parseLong(size);
      out.add(new RemoteFile(name, bytes, jsonTime(first(m, "mtime", "modified", "lastModified", "last_modified", "time")), dir));
    }
    return out;
  }

  private static List<?> firstArray(Object root) {
    if (!(root instanceof Map<?, ?> m)) return null;
    for (Object v : m.values()) if (v instanceof List<?> l) return l;
    return null;
  }

  private static Object first(Map<?, ?> m, String... keys) {
    for (String k : keys) if (m.get(k) != null) return m.get(k);
    return null;
  }

  private static long parseLong(Object o) {
    if (o == null) return -1;
    try {
      return Long.parseLong(o.toString().trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static long jsonTime(Object t) {
    if (t == null) return 0;
    if (t instanceof Double d) return d > 1e11 ? d.longValue() : (long) (d * 1000); // millis or seconds
    String s = t.toString().trim();
    try {
      return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(s).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        return date(s);
      }
    }
  }
}
