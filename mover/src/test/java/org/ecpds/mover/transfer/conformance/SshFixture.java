package org.ecpds.mover.transfer.conformance;

import java.nio.file.Path;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.scp.ScpModuleFactory;
import org.ecpds.mover.transfer.sftp.SftpModuleFactory;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.OpenSshServer;

/** SFTP or SCP against a private OpenSSH sshd. */
final class SshFixture implements ServerFixture {
  private final String method;
  private final OpenSshServer sshd;
  private final TransferModuleFactory factory;

  private SshFixture(String method, OpenSshServer sshd, TransferModuleFactory factory) {
    this.method = method;
    this.sshd = sshd;
    this.factory = factory;
  }

  /** SFTP with the per-JVM default account. */
  static SshFixture sftp() {
    return new SshFixture("sftp", OpenSshServer.start(), new SftpModuleFactory());
  }

  /** SCP with its own account, so that it runs beside the SFTP fixture. */
  static SshFixture scp() {
    return new SshFixture("scp", OpenSshServer.start(OpenSshServer.USER + "s"), new ScpModuleFactory());
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
    return HostSpec.newBuilder().setName("sshd").setTransferMethod(method).setAddress("127.0.0.1")
        .setPort(sshd.port()).setLogin(sshd.user()).setPassword(sshd.password())
        .putOptions("ectrans.connectTimeout", "5s").build();
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
