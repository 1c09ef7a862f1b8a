package org.ecpds.mover.transfer.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key renewals counted on a real MINA session while bytes go through an SFTP upload. */
class SshRekeyPolicyTest {
  private static final long MIB = 1L << 20;
  private static final String PASSWORD = "rekey-test-" + System.nanoTime();

  @TempDir Path home;
  @TempDir Path keys;
  private SshServer server;

  @BeforeEach
  void start() throws Exception {
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(keys.resolve("host-key")));
    server.setPasswordAuthenticator((user, password, session) -> "u".equals(user) && PASSWORD.equals(password));
    server.setFileSystemFactory(new VirtualFileSystemFactory(home));
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop(true);
  }

  /** Key renewals on one session while 8 MiB are uploaded (the initial exchange is done before they are counted). */
  private int renewalsFor8MiB(SshClient client) throws Exception {
    client.start();
    AtomicInteger renewals = new AtomicInteger();
    try (ClientSession s = client.connect("u", new InetSocketAddress("127.0.0.1", server.getPort()))
        .verify(Duration.ofSeconds(10)).getSession()) {
      s.addPasswordIdentity(PASSWORD);
      s.auth().verify(Duration.ofSeconds(10)); // authenticated: the initial key exchange is complete
      s.addSessionListener(new SessionListener() {
        @Override
        public void sessionEvent(Session session, Event event) {
          if (event == Event.KeyEstablished) renewals.incrementAndGet();
        }
      });
      try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
          OutputStream out = sftp.write("big.bin")) {
        byte[] chunk = new byte[(int) MIB];
        for (int i = 0; i < 8; i++) out.write(chunk);
      }
      return renewals.get();
    } finally {
      client.stop();
    }
  }

  @Test
  void aByteCountOfItsOwnNoLongerRenewsTheKeysButTheBlockAndTimeLimitsStay() throws Exception {
    SshClient plain = SshClient.setUpDefaultClient();
    CoreModuleProperties.REKEY_BYTES_LIMIT.set(plain, MIB); // MINA's own 1 GiB rule, at a test's scale
    assertThat(renewalsFor8MiB(plain)).isGreaterThanOrEqualTo(2);
    assertThat(Files.size(home.resolve("big.bin"))).isEqualTo(8 * MIB);

    SshClient ours = SshClient.setUpDefaultClient();
    CoreModuleProperties.REKEY_BYTES_LIMIT.set(ours, MIB);
    SshRekeyPolicy.apply(ours);
    assertThat(renewalsFor8MiB(ours)).isZero();
    assertThat(CoreModuleProperties.REKEY_BLOCKS_LIMIT.getRequired(ours)).isZero(); // derived from the cipher
    assertThat(CoreModuleProperties.REKEY_TIME_LIMIT.getRequired(ours)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void theMoversClientIsMadeWithIt() {
    SshClient client = SshSessions.newClient();
    try {
      assertThat(CoreModuleProperties.REKEY_BYTES_LIMIT.getRequired(client)).isZero();
    } finally {
      client.stop();
    }
  }
}
