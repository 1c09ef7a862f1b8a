package org.ecpds.portal.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.junit.jupiter.api.Test;

class CipherWarmupTest {
  @Test
  void runsEveryOfferedCipherAndMacOverThePackets() {
    // One CTR, one GCM (tagged, AAD path) and one ETM MAC: each kind of algorithm the portal may negotiate.
    CipherWarmup w = new CipherWarmup(List.of(BuiltinCiphers.aes128ctr, BuiltinCiphers.aes128gcm),
        List.of(BuiltinMacs.hmacsha256etm), 7);
    w.run();
    assertEquals(3 * 7, w.cycles());
  }
}
