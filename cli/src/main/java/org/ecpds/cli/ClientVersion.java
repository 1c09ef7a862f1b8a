package org.ecpds.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This client's version, from the build-filtered ecpds-cli.properties. */
final class ClientVersion {
  private ClientVersion() {}

  static String get() {
    Properties p = new Properties();
    try (InputStream in = ClientVersion.class.getResourceAsStream("/ecpds-cli.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // fall through to "unknown": the version line is informative only
    }
    return p.getProperty("version", "unknown");
  }
}
