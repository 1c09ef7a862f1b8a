package org.ecpds.portal.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.ecpds.common.tls.TlsMaterial;

/**
 * Runs the S3 server over a {@link ConformancePortal} for ceph/s3-tests (not a unit test; see the S3
 * section of docs/portal.md): {@code java ... S3ConformanceServer <port> <workdir>}; users "main",
 * "alt" and "tenant" with the keys written to workdir/keys.
 */
public final class S3ConformanceServer {
  private S3ConformanceServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dir = Files.createDirectories(Path.of(args[1]));
    ConformancePortal portal = new ConformancePortal();
    StringBuilder keys = new StringBuilder();
    for (String user : List.of("main", "alt", "tenant")) {
      String ak = "AK" + user.toUpperCase() + "0000000000000".substring(user.length());
      String secret = java.util.UUID.randomUUID().toString();
      portal.memory.s3Key(user, ak, secret);
      keys.append(user).append(' ').append(ak).append(' ').append(secret).append('\n');
    }
    Files.writeString(dir.resolve("keys"), keys);
    TlsMaterial tls = TlsMaterial.generate(List.of("localhost"));
    Files.writeString(dir.resolve("ca.pem"), tls.certificatePem());
    PortalS3Server server = new PortalS3Server(portal, "127.0.0.1", port, tls, "conformance", "us-east-1",
        dir.resolve("parts"), 1L << 30, Clock.systemUTC());
    server.start();
    Files.writeString(dir.resolve("port"), Integer.toString(server.port()));
    Thread.currentThread().join();
  }
}
