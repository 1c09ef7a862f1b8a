package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A private Mosquitto broker on a free loopback port, in its own temp dir, with a password file
 * (anonymous clients refused) and no persistence: a stop loses whatever the broker held, as a
 * crashed broker would. Needs the Debian package mosquitto (broker and mosquitto_passwd).
 *
 * <p>Started as root, mosquitto switches to the user {@code mosquitto} unless told {@code user root};
 * it then cannot read the password file in a 0700 temp dir, hence both the setting and the 0755 dir.
 */
public final class MosquittoServer implements AutoCloseable {
  public static final String USER = "ecpds";

  private final int port;
  private final String password;
  private final ServerProcess server;

  private MosquittoServer(Path base, int port, String password) {
    this.port = port;
    this.password = password;
    this.server = new ServerProcess("mosquitto", base,
        List.of(Tools.require("mosquitto", "mosquitto").toString(), "-c", base.resolve("mosquitto.conf").toString()),
        base.resolve("mosquitto.out"), port);
  }

  public static MosquittoServer start() {
    Path passwd = Tools.require("mosquitto_passwd", "mosquitto");
    try {
      Path base = ServerProcess.baseDir("ecpds-mosquitto");
      byte[] secret = new byte[12];
      new SecureRandom().nextBytes(secret);
      String password = HexFormat.of().formatHex(secret);
      Processes.run(base, List.of(passwd.toString(), "-c", "-b", base.resolve("passwd").toString(), USER, password));
      int port = FreePorts.next();
      boolean root = "root".equals(System.getProperty("user.name"));
      Files.writeString(base.resolve("mosquitto.conf"), String.join("\n",
          root ? "user root" : "# not root: runs as the calling user",
          "per_listener_settings false",
          "allow_anonymous false",
          "password_file " + base.resolve("passwd"),
          "persistence false",
          "log_dest file " + base.resolve("mosquitto.log"),
          "listener " + port + " 127.0.0.1",
          ""));
      MosquittoServer s = new MosquittoServer(base, port, password);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private mosquitto: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  /** tcp://127.0.0.1:port */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** Kills the broker (clients see the connection drop); the port stays reserved for restart(). */
  public void stop() {
    server.stop();
  }

  /** Starts it again on the same port with the same password file. */
  public void restart() {
    server.restart();
  }

  @Override
  public void close() {
    server.close();
  }
}
