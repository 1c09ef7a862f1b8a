package org.ecpds.launcher;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.mover.transfer.sftp.SftpPutWarmup;
import org.ecpds.portal.sftp.UploadWarmup;

/**
 * The portal's upload warm-up done by the mover's own SFTP module: the portal hands over the warm-up
 * session's key and its host key, the module logs in with the key (as a host's {@code sftp.privateKey})
 * and pins the host key (as {@code sftp.fingerPrint}) like any dissemination host.
 */
final class SftpPutWarmupHook implements UploadWarmup {
  private final TransferModules modules;

  SftpPutWarmupHook(TransferModules modules) {
    this.modules = modules;
  }

  @Override
  public long upload(InetSocketAddress address, List<PublicKey> hostKeys, String user, KeyPair key, String path,
      long bytes) throws Exception {
    ByteArrayOutputStream pem = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "warm-up", null, pem);
    String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKeys.get(0));
    return SftpPutWarmup.put(modules, address, fingerprint, user, pem.toString(StandardCharsets.UTF_8), path, bytes);
  }
}
