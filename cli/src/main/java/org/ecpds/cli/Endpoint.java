package org.ecpds.cli;

import java.net.URI;

/** A host and port, printed as users typed them and turned into HTTPS URIs (IPv6 bracketed). */
record Endpoint(String host, int port) {
  URI uri(String path) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("https://" + h + ":" + port + path);
  }

  static Endpoint of(URI uri) {
    int port = uri.getPort() > 0 ? uri.getPort() : 443;
    return new Endpoint(uri.getHost(), port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
