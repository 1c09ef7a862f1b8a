package org.ecpds.monitor.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the stylesheet and script from the jar. They are separate files rather than inline so the
 * Content-Security-Policy can forbid inline script entirely. Public: the login page needs them.
 */
final class AssetServlet extends HttpServlet {
  private record Asset(String contentType, byte[] body) {}

  /** The uPlot webjar's version; keep in step with monitor/pom.xml. */
  static final String UPLOT_VERSION = "1.6.30";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

  private final transient Map<String, Asset> assets = Map.of(
      "/monitor.css", load("monitor.css", "text/css;charset=utf-8"),
      "/monitor.js", load("monitor.js", "text/javascript;charset=utf-8"),
      "/rates.js", load("rates.js", "text/javascript;charset=utf-8"),
      "/uPlot.min.css", load(UPLOT + "uPlot.min.css", "text/css;charset=utf-8"),
      "/uPlot.iife.min.js", load(UPLOT + "uPlot.iife.min.js", "text/javascript;charset=utf-8"));

  private static Asset load(String name, String contentType) {
    try (InputStream in = AssetServlet.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("asset missing from the jar: " + name);
      return new Asset(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    BaseServlet.securityHeaders(resp);
    Asset asset = req.getPathInfo() == null ? null : assets.get(req.getPathInfo());
    if (asset == null) {
      resp.sendError(404);
      return;
    }
    // Short cache: a redeployed monitor's new script is picked up within minutes.
    resp.setHeader("Cache-Control", "private, max-age=300");
    resp.setContentType(asset.contentType());
    resp.setContentLength(asset.body().length);
    resp.getOutputStream().write(asset.body());
  }
}
