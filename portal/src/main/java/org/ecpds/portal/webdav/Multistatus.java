package org.ecpds.portal.webdav;

import org.eclipse.jetty.http.HttpStatus;

/** Builds a 207 body; {@code D:} is bound to DAV: on the root and no default namespace is ever declared. */
final class Multistatus {
  private final StringBuilder xml = new StringBuilder(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">\n");

  static String statusLine(int status) {
    String reason = HttpStatus.getMessage(status);
    return "HTTP/1.1 " + status + " " + (reason == null ? "" : reason);
  }

  Multistatus begin(String href) {
    xml.append("<D:response><D:href>").append(SafeXml.escape(href)).append("</D:href>");
    return this;
  }

  Multistatus propstat(int status, CharSequence props) {
    xml.append("<D:propstat><D:prop>").append(props).append("</D:prop><D:status>").append(statusLine(status))
        .append("</D:status></D:propstat>");
    return this;
  }

  Multistatus status(int status) {
    xml.append("<D:status>").append(statusLine(status)).append("</D:status>");
    return this;
  }

  Multistatus end() {
    xml.append("</D:response>\n");
    return this;
  }

  String finish() {
    return xml.append("</D:multistatus>\n").toString();
  }
}
