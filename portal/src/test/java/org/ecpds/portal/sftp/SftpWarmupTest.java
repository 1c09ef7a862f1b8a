package org.ecpds.portal.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHLimitsExtension;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpWarmupTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  @TempDir Path tmp;

  @Test
  void downloadsTheConfiguredBytesThroughItsOwnListenerThenNoLongerAcceptsTheWarmupUser() throws Exception {
    Tools.require("sftp", "openssh-client"); // the warm-up's client where it is installed
    MemoryPortal portal = new MemoryPortal().user("alice", "alice-pw-1").grant("alice", "d")
        .file("/d/a.txt", "hello".getBytes(StandardCharsets.UTF_8));
    try (PortalSftpServer server = new PortalSftpServer(portal, "127.0.0.1", 0, tmp.resolve("keys"), "m-w")
        .warmup(8 << 20)) {
      server.start();
      assertEquals(8L << 20, server.warmedUp().get(60, TimeUnit.SECONDS));

      SshClient client = SshClient.setUpDefaultClient();
      client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
      client.start();
      try {
        // a user's session is the portal's as before
        try (ClientSession s = client.connect("alice", "127.0.0.1", server.port()).verify(TIMEOUT).getSession()) {
          s.addPasswordIdentity("alice-pw-1");
          s.auth().verify(TIMEOUT);
          try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s); InputStream in = sftp.read("/d/a.txt")) {
            assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            // OpenSSH's sftp reads as much per request as the server offers here (its own server: 255 KiB)
            assertEquals((long) PortalSftpServer.MAX_READ_LENGTH,
                sftp.getExtension(OpenSSHLimitsExtension.class).limits().maxReadLength);
          }
        }
        // the warm-up user with any key, once the warm-up is over: refused
        try (ClientSession s = client.connect(SftpWarmup.USER, "127.0.0.1", server.port()).verify(TIMEOUT).getSession()) {
          s.addPublicKeyIdentity(ecKey());
          assertThrows(SshException.class, () -> s.auth().verify(TIMEOUT));
        }
      } finally {
        client.stop();
      }
    }
  }

  @Test
  void withMinasClientWhereOpenSshsIsNotUsed() throws Exception {
    SftpWarmup warmup = new SftpWarmup(new MemoryPortal(), 4 << 20).withoutOpenSsh();
    try (PortalSftpServer server = new PortalSftpServer(warmup, "127.0.0.1", 0, tmp.resolve("keys"), "m-w")) {
      server.start();
      server.warmedUp().get(60, TimeUnit.SECONDS);
      warmup.run(new InetSocketAddress("127.0.0.1", server.port()), server.publicHostKeys());
      assertEquals(4L << 20, warmup.downloaded());
    }
  }

  @Test
  void aClientUploadsThroughItsOwnListenerIntoTheDroppingDirectoryThenTheUserIsRefused() throws Exception {
    long bytes = 6L << 20;
    java.util.List<String> seen = new java.util.ArrayList<>();
    UploadWarmup client = uploadingWithMina(seen);
    try (PortalSftpServer server = new PortalSftpServer(new MemoryPortal(), "127.0.0.1", 0, tmp.resolve("keys"), "m-w")
        .warmupUploads(client, bytes)) {
      server.start();
      assertEquals(bytes, server.uploadWarmedUp().get(60, TimeUnit.SECONDS));
      assertEquals(0L, server.warmedUp().get(1, TimeUnit.SECONDS)); // no download asked for
      String path = "/" + WarmupFs.DESTINATION + "/" + WarmupFs.UPLOADS + "/" + WarmupFs.FILE;
      assertEquals(java.util.List.of(path + " " + bytes), seen);
      // the warm-up user, once it is over: refused
      SshClient c = SshClient.setUpDefaultClient();
      c.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
      c.start();
      try (ClientSession s = c.connect(SftpWarmup.USER, "127.0.0.1", server.port()).verify(TIMEOUT).getSession()) {
        s.addPublicKeyIdentity(ecKey());
        assertThrows(SshException.class, () -> s.auth().verify(TIMEOUT));
      } finally {
        c.stop();
      }
    }
  }

  @Test
  void theUploadRunsBeforeTheDownloadSoThatTheUsersDownloadPathIsTheLastOneCompiled() throws Exception {
    // the upload warm-up's client shares MINA's packet code with the listener's download path: run after
    // the download, it made C2 throw that code away and compile it again during the first user's download
    long bytes = 4L << 20;
    java.util.List<String> seen = new java.util.ArrayList<>();
    long[] downloadedBeforeUpload = {-1};
    UploadWarmup mina = uploadingWithMina(seen);
    SftpWarmup warmup = new SftpWarmup(new MemoryPortal(), bytes).withoutOpenSsh();
    warmup.withUpload((address, hostKeys, user, key, path, n) -> {
      downloadedBeforeUpload[0] = warmup.downloaded();
      return mina.upload(address, hostKeys, user, key, path, n);
    }, bytes);
    try (PortalSftpServer server = new PortalSftpServer(warmup, "127.0.0.1", 0, tmp.resolve("keys"), "m-w")) {
      server.start();
      server.warmedUp().get(60, TimeUnit.SECONDS);
      warmup.run(new InetSocketAddress("127.0.0.1", server.port()), server.publicHostKeys());
      assertEquals(0L, downloadedBeforeUpload[0]);
      assertEquals(bytes, warmup.downloaded());
      assertEquals(bytes, warmup.received());
      assertEquals(1, seen.size());
    }
  }

  @Test
  void withoutWarmupBytesOnlyTheCiphersAreWarmed() throws Exception {
    try (PortalSftpServer server = new PortalSftpServer(new MemoryPortal(), "127.0.0.1", 0, tmp.resolve("keys"), "m-w")) {
      server.start();
      assertEquals(0L, server.warmedUp().get(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void acceptsOnlyItsKeyForItsUserFromThisHostWhileOpen() throws Exception {
    MemoryPortal portal = new MemoryPortal().user("alice", "alice-pw-1").grant("alice", "d");
    SftpWarmup warmup = new SftpWarmup(portal, 10L << 20);
    KeyPair ours = ecKey();
    KeyPair other = ecKey();
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 40000);
    InetSocketAddress remote = new InetSocketAddress("192.0.2.7", 40000); // TEST-NET-1: never this host

    assertThrows(LoginException.class, () -> warmup.publicKey(SftpWarmup.USER, ours.getPublic(), "sftp", local));
    warmup.accept(ours.getPublic());
    try (PortalFs fs = warmup.publicKey(SftpWarmup.USER, ours.getPublic(), "sftp", local)) {
      assertInstanceOf(WarmupFs.class, fs);
      FsPath file = FsPath.parse("/" + WarmupFs.DESTINATION + "/" + WarmupFs.FILE);
      assertEquals(10L << 20, fs.stat(file).size());
      // zeros up to the announced size, from a sparse file; the end is the announced size
      try (FsReader r = fs.read(file)) {
        ByteBuffer b = ByteBuffer.allocate(1000);
        assertEquals(1000, r.read(b, (10L << 20) - 1000));
        assertArrayEquals(new byte[1000], b.array());
        assertEquals(-1, r.read(ByteBuffer.allocate(10), 10L << 20));
      }
      assertEquals(FsException.Kind.DENIED, assertThrows(FsException.class, () -> fs.write(file)).kind());
      assertEquals(FsException.Kind.DENIED, assertThrows(FsException.class, () -> fs.delete(file)).kind());
      // uploads only into the dropping directory, renamed only within it
      FsPath in = FsPath.parse("/" + WarmupFs.DESTINATION + "/" + WarmupFs.UPLOADS + "/f");
      try (var up = fs.write(in)) {
        up.write(ByteBuffer.wrap(new byte[1234]));
        up.commit();
      }
      assertEquals(1234, fs.stat(in).size());
      FsPath renamed = in.parent().child("g");
      fs.rename(in, renamed);
      assertEquals(1234, fs.stat(renamed).size());
      assertEquals(FsException.Kind.DENIED, assertThrows(FsException.class, () -> fs.rename(renamed, file)).kind());
      assertEquals(FsException.Kind.DENIED,
          assertThrows(FsException.class, () -> fs.write(in.parent().child("sub").child("x"))).kind());
      fs.delete(renamed);
      assertEquals(FsException.Kind.NOT_FOUND, assertThrows(FsException.class, () -> fs.stat(renamed)).kind());
    }
    assertThrows(LoginException.class, () -> warmup.publicKey(SftpWarmup.USER, other.getPublic(), "sftp", local));
    assertThrows(LoginException.class, () -> warmup.publicKey(SftpWarmup.USER, ours.getPublic(), "sftp", remote));
    assertThrows(LoginException.class, () -> warmup.publicKey("alice", ours.getPublic(), "sftp", local));
    // passwords are always the portal's
    try (PortalFs fs = warmup.password("alice", "alice-pw-1", "sftp", local)) {
      assertEquals("alice", fs.user());
    }
    warmup.accept(null);
    assertThrows(LoginException.class, () -> warmup.publicKey(SftpWarmup.USER, ours.getPublic(), "sftp", local));
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    return gen.generateKeyPair();
  }

  /** MINA's client uploading {@code n} bytes as a temporary name, renamed into place; records "path size". */
  private static UploadWarmup uploadingWithMina(java.util.List<String> seen) {
    return (address, hostKeys, user, key, path, n) -> {
      SshClient c = SshClient.setUpDefaultClient();
      c.setServerKeyVerifier((session, remote, k) -> hostKeys.stream()
          .anyMatch(h -> org.apache.sshd.common.config.keys.KeyUtils.compareKeys(h, k)));
      c.start();
      try (ClientSession s = c.connect(user, address).verify(TIMEOUT).getSession()) {
        s.addPublicKeyIdentity(key);
        s.auth().verify(TIMEOUT);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
          String tmpName = path + ".tmp";
          try (java.io.OutputStream out = sftp.write(tmpName)) {
            byte[] chunk = new byte[256 * 1024];
            for (long left = n; left > 0; left -= chunk.length) out.write(chunk, 0, (int) Math.min(left, chunk.length));
          }
          sftp.rename(tmpName, path);
          seen.add(path + " " + sftp.stat(path).getSize());
          // nothing outside the dropping directory changes
          assertThrows(java.io.IOException.class, () -> sftp.remove("/" + WarmupFs.DESTINATION + "/" + WarmupFs.FILE));
          assertThrows(java.io.IOException.class, () -> sftp.write("/" + WarmupFs.DESTINATION + "/x").close());
        }
      } finally {
        c.stop();
      }
      return n;
    };
  }
}
