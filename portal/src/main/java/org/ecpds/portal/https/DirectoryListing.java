package org.ecpds.portal.https;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsPath;

/**
 * GET of a directory: JSON for scripts ({@code Accept: application/json}), an HTML index for browsers.
 * Pages of at most {@code portal.https.listingPageSize} entries in name order: {@code ?limit=N} asks for
 * fewer, {@code ?after=NAME} continues after an entry, and a page that stops early links to the next one
 * (JSON {@code "next"}, an HTML "next page" link).
 */
final class DirectoryListing {
  /** The default of portal.https.listingPageSize: large enough for tools that read one page only (rclone http). */
  static final int DEFAULT_PAGE_SIZE = 10_000;

  private DirectoryListing() {}

  record Page(List<FsEntry> entries, String next) {}

  /** The page the request asks for, and the query of the next one (null on the last page). */
  static Page page(List<FsEntry> sorted, String limit, String after, int pageSize) throws HttpReply {
    int max = pageSize;
    if (limit != null) {
      try {
        max = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > pageSize) throw new HttpReply(400, "limit must be between 1 and " + pageSize);
    }
    int from = 0;
    if (after != null) {
      while (from < sorted.size() && sorted.get(from).name().compareTo(after) <= 0) from++;
    }
    int to = Math.min(sorted.size(), from + max);
    List<FsEntry> entries = sorted.subList(from, to);
    String next = to < sorted.size()
        ? "?" + (limit == null ? "" : "limit=" + max + "&") + "after=" + URLEncoder.encode(entries.get(entries.size() - 1).name(), StandardCharsets.UTF_8)
        : null;
    return new Page(entries, next);
  }

  static void serve(HttpExchange x, FsPath dir, int pageSize) throws IOException, HttpReply {
    Fields query = Request.extractQueryParameters(x.request(), StandardCharsets.UTF_8);
    Page page = page(x.fs().list(dir), query.getValue("limit"), query.getValue("after"), pageSize);
    List<FsEntry> entries = page.entries();
    String accept = x.header("Accept");
    if (accept != null && accept.contains("application/json")) {
      StringBuilder json = new StringBuilder("{\"path\":").append(jsonString(dir.toString())).append(",\"entries\":[");
      for (int i = 0; i < entries.size(); i++) {
        FsEntry e = entries.get(i);
        if (i > 0) json.append(',');
        json.append("{\"name\":").append(jsonString(e.name()))
            .append(",\"type\":\"").append(e.directory() ? "directory" : "file").append('"')
            .append(",\"size\":").append(e.size())
            .append(",\"modified\":").append(jsonString(Instant.ofEpochMilli(e.modifiedMillis()).toString()))
            .append(",\"etag\":").append(jsonString(e.etag())).append('}');
      }
      json.append(']');
      if (page.next() != null) json.append(",\"next\":").append(jsonString(page.next()));
      x.send(200, "application/json", json.append("}\n").toString());
      return;
    }
    String title = html("Index of " + dir);
    StringBuilder doc = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title)
        .append("</title></head><body><h1>").append(title).append("</h1>\n<table><tr><th>Name</th><th>Size</th><th>Modified</th></tr>\n");
    if (!dir.isRoot()) {
      doc.append("<tr><td><a href=\"").append(html(RequestPaths.href(dir.parent(), true))).append("\">../</a></td><td></td><td></td></tr>\n");
    }
    for (FsEntry e : entries) {
      doc.append("<tr><td><a href=\"").append(html(RequestPaths.href(e.path(), e.directory()))).append("\">")
          .append(html(e.name())).append(e.directory() ? "/" : "").append("</a></td><td>")
          .append(e.directory() ? "" : String.valueOf(e.size())).append("</td><td>")
          .append(e.directory() && e.modifiedMillis() == 0 ? "" : HttpDates.format(e.modifiedMillis())).append("</td></tr>\n");
    }
    doc.append("</table>\n");
    if (page.next() != null) doc.append("<p><a rel=\"next\" href=\"").append(html(page.next())).append("\">next page</a></p>\n");
    doc.append("</body></html>\n");
    x.setHeader("Content-Security-Policy", "default-src 'none'");
    x.setHeader("X-Content-Type-Options", "nosniff");
    x.send(200, "text/html; charset=utf-8", doc.toString());
  }

  static String html(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String jsonString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }
}
