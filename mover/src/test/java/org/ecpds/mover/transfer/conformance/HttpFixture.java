package org.ecpds.mover.transfer.conformance;

import java.nio.file.Path;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.http.HttpModuleFactory;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.NginxServer;

/**
 * Plain HTTP (or HTTPS with the server's self-signed certificate trusted through http.trustCert)
 * against a private nginx: PUT with create_full_put_path, HTML autoindex listing, basic auth.
 */
final class HttpFixture implements ServerFixture {
  private final boolean tls;
  private final NginxServer nginx = NginxServer.start();
  private final HttpModuleFactory factory = new HttpModuleFactory();

  HttpFixture() {
    this(false);
  }

  HttpFixture(boolean tls) {
    this.tls = tls;
  }

  static HttpFixture https() {
    return new HttpFixture(true);
  }

  @Override
  public String name() {
    return tls ? "https" : "http";
  }

  @Override
  public TransferModuleFactory factory() {
    return factory;
  }

  @Override
  public HostSpec host() {
    HostSpec.Builder b = HostSpec.newBuilder().setName("nginx").setTransferMethod(name()).setAddress("127.0.0.1")
        .setPort(tls ? nginx.sslPort() : nginx.port()).setLogin(nginx.user()).setPassword(nginx.password())
        .putOptions("ectrans.connectTimeout", "5s").putOptions("ectrans.idleTimeout", "20s");
    if (tls) b.putOptions("http.trustCert", nginx.certificatePem());
    return b.build();
  }

  @Override
  public Path onDisk(String remotePath) {
    return nginx.root().resolve(remotePath);
  }

  @Override
  public void stop() {
    nginx.stop();
  }

  @Override
  public void restart() {
    nginx.restart();
  }

  /** Plain HTTP has no rename and no directories (nginx creates a PUT's parents itself). */
  @Override
  public boolean canRenameAndMkdirs() {
    return false;
  }

  @Override
  public void close() {
    factory.close();
    nginx.close();
  }
}
