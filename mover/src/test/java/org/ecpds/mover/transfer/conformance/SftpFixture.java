package org.ecpds.mover.transfer.conformance;

import java.nio.file.Path;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.sftp.SftpModuleFactory;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.OpenSshServer;

/** SFTP against a private OpenSSH sshd. */
final class SftpFixture implements ServerFixture {
  private final OpenSshServer sshd = OpenSshServer.start();
  private final SftpModuleFactory factory = new SftpModuleFactory();

  @Override
  public String name() {
    return "sftp";
  }

  @Override
  public TransferModuleFactory factory() {
    return factory;
  }

  @Override
  public HostSpec host() {
    return HostSpec.newBuilder().setName("sshd").setTransferMethod("sftp").setAddress("127.0.0.1")
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
