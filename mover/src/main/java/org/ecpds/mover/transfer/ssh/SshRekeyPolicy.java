package org.ecpds.mover.transfer.ssh;

import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * When an SSH session of ours (the mover's client, the portal's server) renews its keys: as OpenSSH
 * does, by cipher blocks (RFC 4344 3.2: after 2^32 blocks of a 128-bit block cipher such as AES,
 * after 1 GiB for a 64-bit one; MINA computes this from the negotiated cipher), and at least every
 * hour. MINA also renews after every GiB whatever the cipher; that made each 1 GiB SFTP transfer pay a
 * full key exchange (sntrup761x25519, plain Java) in its last tenth, while OpenSSH with AES-GCM
 * would not renew before 64 GiB.
 */
public final class SshRekeyPolicy {
  private SshRekeyPolicy() {}

  /** Applies the policy to a client or server before it starts. */
  public static void apply(FactoryManager manager) {
    CoreModuleProperties.REKEY_BYTES_LIMIT.set(manager, 0L); // no byte count of its own: the block limit rules
    CoreModuleProperties.REKEY_BLOCKS_LIMIT.set(manager, 0L); // 0: derived from the cipher's block size
    CoreModuleProperties.REKEY_TIME_LIMIT.set(manager, java.time.Duration.ofHours(1));
  }
}
