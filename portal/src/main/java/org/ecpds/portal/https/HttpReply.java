package org.ecpds.portal.https;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reply decided before anything was written (a refused precondition, a bad header, a locked
 * resource): thrown by method code and written by {@link PortalHttpHandler} as a short error body.
 * An optional XML body carries a WebDAV precondition element.
 */
public final class HttpReply extends Exception {
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private String davCondition;

  public HttpReply(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public HttpReply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** A WebDAV precondition or postcondition name (RFC 4918 §16), sent as {@code <D:error>}. */
  public HttpReply davCondition(String element) {
    this.davCondition = element;
    return this;
  }

  public String davCondition() {
    return davCondition;
  }
}
