package org.ecpds.portal;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.ecpds.common.events.EventLog;

/**
 * The error handler of the portal's HTTP listeners (HTTPS/WebDAV, S3): requests that Jetty refuses
 * before any portal code sees them (a request line or headers over the cap: 431, a URI too long: 414)
 * still get their DEA line, as every other portal refusal does. The reply itself is Jetty's.
 */
public final class RefusedRequests extends ErrorHandler {
  private final String protocol;
  private final String moverName;

  public RefusedRequests(String protocol, String moverName) {
    this.protocol = protocol;
    this.moverName = moverName;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (request.getAttribute(ERROR_STATUS) instanceof Integer status && (status == 431 || status == 414)) {
      String why = status == 431 ? "request headers larger than the listener's cap (431)" : "request URI too long (414)";
      EventLog.denied("", why, protocol, moverName, Request.getRemoteAddr(request));
    }
    return super.handle(request, response, callback);
  }
}
