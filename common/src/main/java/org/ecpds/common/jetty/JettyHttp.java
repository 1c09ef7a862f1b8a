package org.ecpds.common.jetty;

import org.eclipse.jetty.server.HttpConfiguration;

/** The HTTP settings every ecpds listener (REST, uploads, monitor, portal HTTPS and S3) starts from. */
public final class JettyHttp {
  private JettyHttp() {}

  /**
   * Jetty's header cache matches a header value case-insensitively by default, so on a kept-alive
   * connection an Authorization header that differs from the previous request's only in letter
   * case was read as that previous one: wrong credentials were accepted (HeaderCaseTest). Values
   * are cached case-sensitively here; the server version is not announced.
   */
  public static HttpConfiguration configuration() {
    HttpConfiguration c = new HttpConfiguration();
    c.setHeaderCacheCaseSensitive(true);
    c.setSendServerVersion(false);
    return c;
  }
}
