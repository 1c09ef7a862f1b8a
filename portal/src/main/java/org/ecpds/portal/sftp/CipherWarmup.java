package org.ecpds.portal.sftp;

import java.security.SecureRandom;
import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.mac.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the portal's ciphers and MACs over a few hundred packets right after start, on a background
 * thread. Until the JIT has compiled them, the JCE's AES and HMAC run interpreted, without their CPU
 * intrinsics: the first large download after a start ran at about half the speed of the later ones
 * (docs/benchmarks.md, portal runs). Warming them on throw-away keys moves that cost out of the first
 * user's transfer; it takes well under a second of one CPU once compiled.
 */
final class CipherWarmup implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(CipherWarmup.class);
  /** The payload of a full SFTP data packet, as MINA frames a 32 KiB read. */
  private static final int PACKET = 32 * 1024 + 64;
  /** Enough invocations of the per-packet code for C2 to compile it (its threshold is ~10,000 back-edges). */
  static final int PACKETS = 3_000;

  private final List<NamedFactory<Cipher>> ciphers;
  private final List<NamedFactory<Mac>> macs;
  private final int packets;
  /** Packets run through all algorithms so far (for the test). */
  private long cycles;

  CipherWarmup(List<NamedFactory<Cipher>> ciphers, List<NamedFactory<Mac>> macs, int packets) {
    this.ciphers = List.copyOf(ciphers);
    this.macs = List.copyOf(macs);
    this.packets = packets;
  }

  long cycles() {
    return cycles;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    byte[] buf = new byte[PACKET + 64];
    new SecureRandom().nextBytes(buf);
    try {
      for (NamedFactory<Cipher> f : ciphers) cipher(f, buf);
      for (NamedFactory<Mac> f : macs) mac(f, buf);
      LOG.debug("SFTP ciphers and MACs warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
    } catch (Exception e) {
      // Only a lost optimisation: the sessions negotiate and initialise their own instances.
      LOG.warn("SFTP cipher warm-up stopped: {}", e.toString());
    }
  }

  private void cipher(NamedFactory<Cipher> factory, byte[] buf) throws Exception {
    Cipher c = factory.create();
    c.init(Cipher.Mode.Encrypt, random(c.getKdfSize()), random(c.getIVSize()));
    int tag = c.getAuthenticationTagSize();
    for (int i = 0; i < packets; i++) {
      if (tag > 0) {
        c.updateWithAAD(buf, 0, 4, PACKET - 4);
      } else {
        c.update(buf, 0, PACKET);
      }
      cycles++;
    }
  }

  private void mac(NamedFactory<Mac> factory, byte[] buf) throws Exception {
    Mac m = factory.create();
    m.init(random(m.getDefaultBlockSize()));
    byte[] out = new byte[m.getBlockSize()];
    for (int i = 0; i < packets; i++) {
      m.updateUInt(i);
      m.update(buf, 0, PACKET);
      m.doFinal(out, 0);
      cycles++;
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[Math.max(n, 1)];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
