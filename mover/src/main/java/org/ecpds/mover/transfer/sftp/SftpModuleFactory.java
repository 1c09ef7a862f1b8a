package org.ecpds.mover.transfer.sftp;

import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.ssh.SshSessions;

/**
 * Creates SFTP sessions over one shared MINA {@link SshClient} (its I/O threads serve every
 * session). Host keys are checked per session by {@link SftpModule} after key exchange and before
 * any credential is sent ({@link SshSessions}), so the client-wide verifier accepts all keys.
 */
public final class SftpModuleFactory implements TransferModuleFactory {
  private final SshClient client;

  public SftpModuleFactory() {
    client = SshSessions.newClient();
  }

  @Override
  public Set<String> methods() {
    return Set.of("sftp");
  }

  @Override
  public TransferModule create() {
    return new SftpModule(client);
  }

  @Override
  public void close() {
    client.stop();
  }
}
