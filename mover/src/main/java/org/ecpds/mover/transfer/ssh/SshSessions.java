package org.ecpds.mover.transfer.ssh;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.ecpds.common.config.Durations;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * SSH connection logic shared by the SFTP and SCP modules: one MINA client per factory, and the
 * per-session steps (connect, host-key pinning before any credential is sent, key + password auth).
 *
 * <p>Options are looked up as {@code <protocol>.<name>} and, for another protocol than sftp, fall
 * back to {@code sftp.<name>} (a host switched from SFTP to SCP keeps its key and fingerprint):
 * {@code privateKey}, {@code privateKeyPassword}, {@code fingerPrint}, {@code connectTimeout}
 * (then {@code ectrans.connectTimeout}, default 30s) and {@code idleTimeout} (then
 * {@code ectrans.idleTimeout}, default 60s).
 */
public final class SshSessions {
  private SshSessions() {}

  /**
   * A started client whose verifier accepts every key: keys are pinned per session by
   * {@link #open}. AES-GCM first: the JDK runs it on AES-NI/CLMUL intrinsics, whereas MINA's
   * default first choice, chacha20-poly1305, is plain Java and caps bulk transfers well below what
   * the link can carry.
   */
  public static SshClient newClient() {
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier((session, address, key) -> true);
    List<NamedFactory<Cipher>> ciphers = new ArrayList<>();
    for (BuiltinCiphers c : List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr,
        BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr, BuiltinCiphers.cc20p1305_openssh)) {
      if (c.isSupported()) ciphers.add(c);
    }
    client.setCipherFactories(ciphers);
    // without it small SSH messages (channel opens, exec replies, SFTP status) wait for delayed ACKs:
    // ~45 ms per exec channel instead of ~2 ms (measured in scripts/bench/modules)
    CoreModuleProperties.TCP_NODELAY.set(client, true);
    int workers = CoreModuleProperties.NIO_WORKERS.getRequiredDefault();
    client.setIoServiceFactoryFactory(
        new Nio2ServiceFactoryFactory(() -> CallerCompletions.newPool("sshd-client-nio", workers)));
    SshRekeyPolicy.apply(client);
    client.start();
    return client;
  }

  /** {@code <protocol>.<name>}, else {@code sftp.<name>}, else {@code null}. */
  public static String option(Map<String, String> options, String protocol, String name) {
    String v = options.get(protocol + "." + name);
    if (v == null && !protocol.equals("sftp")) v = options.get("sftp." + name);
    return v;
  }

  public static Duration connectTimeout(Map<String, String> options, String protocol) {
    return duration(options, protocol, "connectTimeout", "30s");
  }

  public static Duration idleTimeout(Map<String, String> options, String protocol) {
    return duration(options, protocol, "idleTimeout", "60s");
  }

  private static Duration duration(Map<String, String> options, String protocol, String name, String dflt) {
    String v = option(options, protocol, name);
    return Durations.parse(v != null ? v : options.getOrDefault("ectrans." + name, dflt));
  }

  /**
   * Connects, checks the host key and authenticates. {@code started} receives the session as soon
   * as it exists so that a concurrent close() can abort a hanging login; {@code cancelled} is
   * checked right after. Failures are raw exceptions: the caller classifies them.
   */
  public static ClientSession open(SshClient client, HostSpec host, Map<String, String> options, String protocol,
      Consumer<ClientSession> started, BooleanSupplier cancelled) throws Exception {
    Duration timeout = connectTimeout(options, protocol);
    int port = host.getPort() > 0 ? host.getPort() : 22;
    ClientSession s = client.connect(host.getLogin(), host.getAddress(), port).verify(timeout).getSession();
    started.accept(s);
    if (cancelled.getAsBoolean()) {
      throw new TransferException(ErrorKind.CANCELLED, "cancelled while connecting to " + where(host));
    }
    // the session's own property: a silent peer is dropped after this long (MINA's default is 10 min)
    CoreModuleProperties.IDLE_TIMEOUT.set(s, idleTimeout(options, protocol));
    verifyHostKey(s, option(options, protocol, "fingerPrint"), timeout, where(host));
    addIdentities(s, host, options, protocol);
    s.auth().verify(timeout);
    return s;
  }

  public static String where(HostSpec host) {
    return host.getLogin() + "@" + host.getAddress() + ":" + (host.getPort() > 0 ? host.getPort() : 22);
  }

  /** Checked after key exchange and before authentication, so no credential reaches a wrong host. */
  private static void verifyHostKey(ClientSession s, String expected, Duration timeout, String where)
      throws TransferException {
    if (expected == null || expected.isBlank()) return;
    Set<ClientSessionEvent> ev = s.waitFor(EnumSet.of(ClientSessionEvent.WAIT_AUTH, ClientSessionEvent.CLOSED), timeout);
    if (!ev.contains(ClientSessionEvent.WAIT_AUTH) || s.getServerKey() == null) {
      throw new TransferException(ErrorKind.NETWORK, "key exchange with " + where + " did not complete");
    }
    String actual = KeyUtils.getFingerPrint(BuiltinDigests.sha256, s.getServerKey());
    if (!normalize(actual).equals(normalize(expected))) {
      throw new TransferException(ErrorKind.AUTHENTICATION,
          "host key of " + where + " is " + actual + ", expected " + expected.trim());
    }
  }

  private static String normalize(String fp) {
    String f = fp.trim();
    if (f.regionMatches(true, 0, "SHA256:", 0, 7)) f = f.substring(7);
    while (f.endsWith("=")) f = f.substring(0, f.length() - 1);
    return f;
  }

  private static void addIdentities(ClientSession s, HostSpec host, Map<String, String> options, String protocol)
      throws Exception {
    String key = option(options, protocol, "privateKey");
    if (key != null && !key.isBlank()) {
      String pass = option(options, protocol, "privateKeyPassword");
      Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(s, NamedResource.ofName(protocol + ".privateKey"),
          new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)),
          pass == null ? null : FilePasswordProvider.of(pass));
      if (pairs != null) pairs.forEach(s::addPublicKeyIdentity);
    }
    if (!host.getPassword().isEmpty()) s.addPasswordIdentity(host.getPassword());
  }
}
