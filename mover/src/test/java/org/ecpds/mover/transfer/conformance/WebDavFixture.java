package org.ecpds.mover.transfer.conformance;

import java.nio.file.Path;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.webdav.WebDavModuleFactory;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.ApacheServer;

/**
 * WebDAV against a private Apache httpd (mod_dav_fs): PUT answers 409 into a missing directory,
 * so the module's MKCOL path is exercised; MOVE with overwrite.
 */
final class WebDavFixture implements ServerFixture {
  private final ApacheServer apache = ApacheServer.start();
  private final WebDavModuleFactory factory = new WebDavModuleFactory();

  @Override
  public String name() {
    return "webdav";
  }

  @Override
  public TransferModuleFactory factory() {
    return factory;
  }

  @Override
  public HostSpec host() {
    return HostSpec.newBuilder().setName("apache").setTransferMethod("webdav").setAddress("127.0.0.1")
        .setPort(apache.port()).setLogin(apache.user()).setPassword(apache.password())
        .putOptions("ectrans.connectTimeout", "5s").putOptions("ectrans.idleTimeout", "20s").build();
  }

  @Override
  public Path onDisk(String remotePath) {
    return apache.root().resolve(remotePath);
  }

  @Override
  public void stop() {
    apache.stop();
  }

  @Override
  public void restart() {
    apache.restart();
  }

  @Override
  public void close() {
    factory.close();
    apache.close();
  }
}
