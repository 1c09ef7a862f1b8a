package org.ecpds.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user and password for Basic authentication against the master. */
record Credentials(String user, String password) {
  String basicHeader() {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[user=" + user + "]";
  }
}
