package org.ecpds.monitor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.ecpds.proto.RatePoint;
import org.ecpds.proto.TransferRatesReply;

/**
 * "/rates/{destination}": the delivery rates of the last hour as JSON, polled by rates.js for the
 * uPlot chart. Arrays are in uPlot's column layout (x in seconds, then one array per series), and
 * the totals let a test or a script see the plot's data move without reading the canvas.
 */
final class RatesServlet extends BaseServlet {
  static final int MINUTES = 60;

  RatesServlet(MasterClient master, SessionStore sessions) {
    super(master, sessions);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (session(req).isEmpty()) {
      json(resp, 401, "{\"error\":\"not logged in\"}");
      return;
    }
    String path = req.getPathInfo();
    String name = path == null || path.length() < 2 || path.indexOf('/', 1) >= 0 ? null : path.substring(1);
    if (name == null) {
      json(resp, 400, "{\"error\":\"no destination named\"}");
      return;
    }
    TransferRatesReply reply = master.rates(name, MINUTES);
    if (!reply.getFound()) {
      json(resp, 404, "{\"error\":\"no such destination\"}");
      return;
    }
    json(resp, 200, body(name, reply));
  }

  static String body(String name, TransferRatesReply reply) {
    double seconds = Math.max(1, reply.getBucketSeconds());
    StringBuilder t = new StringBuilder();
    StringBuilder files = new StringBuilder();
    StringBuilder bytes = new StringBuilder();
    long totalFiles = 0;
    long totalBytes = 0;
    for (RatePoint p : reply.getPointsList()) {
      if (t.length() > 0) {
        t.append(',');
        files.append(',');
        bytes.append(',');
      }
      t.append(p.getTimeMillis() / 1000);
      files.append(number(p.getFiles() / seconds));
      bytes.append(number(p.getBytes() / seconds));
      totalFiles += p.getFiles();
      totalBytes += p.getBytes();
    }
    return "{\"destination\":\"" + jsonEscape(name) + "\",\"bucketSeconds\":" + reply.getBucketSeconds()
        + ",\"now\":" + reply.getNowMillis() + ",\"files\":" + totalFiles + ",\"bytes\":" + totalBytes
        + ",\"t\":[" + t + "],\"filesPerSecond\":[" + files + "],\"bytesPerSecond\":[" + bytes + "]}";
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  static String jsonEscape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20 || c == '<' || c == '>' || c == '&') sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.toString();
  }

  private static void json(HttpServletResponse resp, int status, String body) throws IOException {
    resp.setStatus(status);
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentType("application/json;charset=utf-8");
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }
}
