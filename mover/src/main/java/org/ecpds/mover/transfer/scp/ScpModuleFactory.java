package org.ecpds.mover.transfer.scp;

import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.ssh.SshSessions;

/** Creates SCP sessions over one shared MINA {@link SshClient}; host keys are pinned per session. */
public final class ScpModuleFactory implements TransferModuleFactory {
  private final SshClient client = SshSessions.newClient();

  @Override
  public Set<String> methods() {
    return Set.of("scp");
  }

  @Override
  public TransferModule create() {
    return new ScpModule(client);
  }

  @Override
  public void close() {
    client.stop();
  }
}
