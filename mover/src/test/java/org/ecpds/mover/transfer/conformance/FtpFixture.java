package org.ecpds.mover.transfer.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.ftp.FtpModuleFactory;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.VsftpdServer;

/** FTP, explicit FTPS and implicit FTPS against a private vsftpd (certificate pinned for FTPS). */
final class FtpFixture implements ServerFixture {
  private final VsftpdServer server;
  private final String method;
  private final FtpModuleFactory factory = new FtpModuleFactory();

  private FtpFixture(VsftpdServer.Mode mode, String method) {
    this.server = VsftpdServer.start(mode);
    this.method = method;
  }

  static Supplier<ServerFixture> plain() {
    return () -> new FtpFixture(VsftpdServer.Mode.PLAIN, "ftp");
  }

  static Supplier<ServerFixture> explicit() {
    return () -> new FtpFixture(VsftpdServer.Mode.EXPLICIT_TLS, "ftps");
  }

  static Supplier<ServerFixture> implicit() {
    return () -> new FtpFixture(VsftpdServer.Mode.IMPLICIT_TLS, "ftps-implicit");
  }

  @Override
  public String name() {
    return method;
  }

  @Override
  public TransferModuleFactory factory() {
    return factory;
  }

  @Override
  public HostSpec host() {
    HostSpec.Builder b = HostSpec.newBuilder().setName("vsftpd").setTransferMethod(method).setAddress("127.0.0.1")
        .setPort(server.port()).setLogin(server.user()).setPassword(server.password())
        .putOptions("ectrans.connectTimeout", "5s");
    if (server.mode() != VsftpdServer.Mode.PLAIN) {
      try {
        b.putOptions("ftps.trustCert", Files.readString(server.certificate()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return b.build();
  }

  @Override
  public Path onDisk(String remotePath) {
    return server.root().resolve(remotePath);
  }

  @Override
  public void stop() {
    server.stop();
  }

  @Override
  public void restart() {
    server.restart();
  }

  @Override
  public void close() {
    factory.close();
    server.close();
  }
}
