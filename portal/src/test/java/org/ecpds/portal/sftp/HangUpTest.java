package org.ecpds.portal.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.ecpds.portal.fs.MemoryPortal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that hangs up in the middle of an upload leaves nothing behind, over SFTP and over scp;
 * the same uploads completed are published. Driven with MINA's own SSH client, which can stop at an
 * exact point of the protocol.
 */
class HangUpTest {
  private static final String PW = "alice-hangs-up-1";
  @TempDir Path tmp;
  private final MemoryPortal portal = new MemoryPortal().user("alice", PW).grant("alice", "d");
  /** Paths whose upload was closed (committed or not): the point after which the outcome is settled. */
  private final List<String> closedUploads = new CopyOnWriteArrayList<>();
  private PortalSftpServer server;
  private SshClient client;

  @BeforeEach
  void start() throws Exception {
    server = new PortalSftpServer(watching(portal), "127.0.0.1", 0, tmp.resolve("keys"), "m");
    server.start();
    client = SshClient.setUpDefaultClient();
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    client.stop();
    server.close();
  }

  private ClientSession session() throws Exception {
    ClientSession s = client.connect("alice", "127.0.0.1", server.port()).verify(Duration.ofSeconds(10)).getSession();
    s.addPasswordIdentity(PW);
    s.auth().verify(Duration.ofSeconds(10));
    return s;
  }

  private void awaitClosed(String path) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!closedUploads.contains(path)) {
      if (System.nanoTime() > end) throw new AssertionError("the upload of " + path + " was never closed");
      Thread.sleep(20); // polls a condition
    }
  }

  /** The portal, with every upload's close recorded. */
  private PortalLogin watching(PortalLogin login) {
    return new PortalLogin() {
      @Override
      public PortalFs password(String user, String password, String protocol, InetSocketAddress remote) throws LoginException {
        return watch(login.password(user, password, protocol, remote));
      }

      @Override
      public PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote) throws LoginException {
        return watch(login.publicKey(user, key, protocol, remote));
      }
    };
  }

  private PortalFs watch(PortalFs fs) {
    return (PortalFs) Proxy.newProxyInstance(PortalFs.class.getClassLoader(), new Class<?>[] {PortalFs.class},
        (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(fs, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          // scp works on a view of the session labelled "scp": watch it too
          if (method.getName().equals("overProtocol")) return result == fs ? proxy : watch((PortalFs) result);
          if (!method.getName().equals("write")) return result;
          FsUpload upload = (FsUpload) result;
          return Proxy.newProxyInstance(FsUpload.class.getClassLoader(), new Class<?>[] {FsUpload.class}, (p, m, a) -> {
            try {
              return m.invoke(upload, a);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            } finally {
              if (m.getName().equals("close")) closedUploads.add(upload.path().toString());
            }
          });
        });
  }

  @Test
  void sftpUploadInterruptedByAHangUpIsDiscarded() throws Exception {
    byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
    ClientSession s = session();
    SftpClient sftp = SftpClientFactory.instance().createSftpClient(s);
    SftpClient.CloseableHandle h = sftp.open("/d/partial.bin",
        EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate));
    sftp.write(h, 0, data);
    s.close(true); // no CLOSE for the handle
    awaitClosed("/d/partial.bin");
    assertThat(portal.stored("/d/partial.bin")).isNull();

    try (ClientSession again = session(); SftpClient c = SftpClientFactory.instance().createSftpClient(again)) {
      try (SftpClient.CloseableHandle done = c.open("/d/complete.bin",
          EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate))) {
        c.write(done, 0, data);
      }
    }
    assertThat(portal.stored("/d/complete.bin").content()).isEqualTo(data);
  }

  @Test
  void scpUploadShorterThanAnnouncedIsDiscarded() throws Exception {
    ClientSession s = session();
    ChannelExec exec = s.createExecChannel("scp -t /d/short.bin");
    exec.open().verify(Duration.ofSeconds(10));
    OutputStream toServer = exec.getInvertedIn();
    InputStream fromServer = exec.getInvertedOut();
    assertThat(fromServer.read()).isZero();
    toServer.write("C0644 1000 short.bin\n".getBytes(StandardCharsets.US_ASCII));
    toServer.flush();
    assertThat(fromServer.read()).isZero();
    toServer.write(new byte[10]);
    toServer.flush();
    s.close(true);
    awaitClosed("/d/short.bin");
    assertThat(portal.stored("/d/short.bin")).isNull();

    try (ClientSession again = session()) {
      ChannelExec full = again.createExecChannel("scp -t /d/full.bin");
      full.open().verify(Duration.ofSeconds(10));
      OutputStream out = full.getInvertedIn();
      InputStream in = full.getInvertedOut();
      assertThat(in.read()).isZero();
      out.write("C0644 4 full.bin\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.read()).isZero();
      out.write("full".getBytes(StandardCharsets.US_ASCII));
      out.write(0);
      out.flush();
      assertThat(in.read()).isZero();
      full.close(false);
    }
    assertThat(portal.stored("/d/full.bin").content()).isEqualTo("full".getBytes(StandardCharsets.US_ASCII));
  }
}
