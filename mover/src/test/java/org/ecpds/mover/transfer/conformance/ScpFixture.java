package org.ecpds.mover.transfer.conformance;

import java.nio.file.Path;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.scp.ScpModuleFactory;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.OpenSshServer;

/** SCP against a private OpenSSH sshd, with its own account (the SFTP fixture uses the per-JVM default account). */
final class ScpFixture implements ServerFixture {
  private final OpenSshServer sshd = OpenSshServer.start(OpenSshServer.USER + "s");
  private final ScpModuleFactory factory = new ScpModuleFactory();

  @Override
  public String name() {
    return "scp";
  }

  @Override
  public TransferModuleFactory factory() {
    return factory;
  }

  @Override
  public HostSpec host() {
    return HostSpec.newBuilder().setName("sshd").setTransferMethod("scp").setAddress("127.0.0.1")
        .setPort(sshd.port()).setLogin(sshd.user()).setPassword(sshd.password())
        .putOptions("ectrans.connectTimeout", "5s").build();
  }

  @Override
  public HostSpec wrongPassword() {
    return host().toBuilder().setPassword("not-the-password").build();
  }

  @Override
  public Path onDisk(String remotePath) {
    return sshd.home().resolve(remotePath);
  }

  @Override
  public void stop() {
    sshd.stop();
  }

  @Override
  public void restart() {
    sshd.restart();
  }

  @Override
  public void close() {
    factory.close();
    sshd.close();
  }
}
