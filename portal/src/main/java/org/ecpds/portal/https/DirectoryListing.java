package org.ecpds.portal.https;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsPath;

/** GET of a directory: JSON for scripts ({@code Accept: application/json}), an HTML index for browsers. */
final class DirectoryListing {
  private DirectoryListing() {}

  static void serve(HttpExchange x, FsPath dir) throws IOException {
    List<FsEntry> entries = x.fs().list(dir);
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
      x.send(200, "application/json", json.append("]}\n").toString());
      return;
    }
    String title = html("Index of " + dir);
    StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title)
        .append("</title></head><body><h1>").append(title).append("</h1>\n<table><tr><th>Name</th><th>Size</th><th>Modified</th></tr>\n");
    if (!dir.isRoot()) {
      page.append("<tr><td><a href=\"").append(html(RequestPaths.href(dir.parent(), true))).append("\">../</a></td><td></td><td></td></tr>\n");
    }
    for (FsEntry e : entries) {
      page.append("<tr><td><a href=\"").append(html(RequestPaths.href(e.path(), e.directory()))).append("\">")
          .append(html(e.name())).append(e.directory() ? "/" : "").append("</a></td><td>")
          .append(e.directory() ? "" : String.valueOf(e.size())).append("</td><td>")
          .append(e.directory() && e.modifiedMillis() == 0 ? "" : HttpDates.format(e.modifiedMillis())).append("</td></tr>\n");
    }
    page.append("</table></body></html>\n");
    x.setHeader("Content-Security-Policy", "default-src 'none'");
    x.setHeader("X-Content-Type-Options", "nosniff");
    x.send(200, "text/html; charset=utf-8", page.toString());
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
