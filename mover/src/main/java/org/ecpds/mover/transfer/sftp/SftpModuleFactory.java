package org.ecpds.mover.transfer.sftp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.client.SshClient;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;

/**
 * Creates SFTP sessions over one shared MINA {@link SshClient} (its I/O threads serve every
 * session). Host keys are checked per session by {@link SftpModule} after key exchange and before
 * any credential is sent, so the client-wide verifier accepts all keys.
 */
public final class SftpModuleFactory implements TransferModuleFactory {
  private final SshClient client;

  public SftpModuleFactory() {
    client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier((session, address, key) -> true);
    client.setCipherFactories(preferredCiphers());
    client.start();
  }

  /**
   * AES-GCM first: the JDK runs it on AES-NI/CLMUL intrinsics, whereas MINA's default first choice,
   * chacha20-poly1305, is plain Java and caps bulk transfers well below what the link can carry.
   */
  private static List<NamedFactory<Cipher>> preferredCiphers() {
    List<NamedFactory<Cipher>> out = new ArrayList<>();
    for (BuiltinCiphers c : List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr,
        BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr, BuiltinCiphers.cc20p1305_openssh)) {
      if (c.isSupported()) out.add(c);
    }
    return out;
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
