package org.ecpds.portal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ecpds.portal.fs.FsException.Kind;
import org.ecpds.testkit.EventLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the mover's portal has: path rules, the session cap, the login guard, the master's refusals. */
class MoverPortalTest {
  @TempDir Path tmp;
  private PortalFixture.Mover f;
  private EventLines events;

  private PortalFixture.Mover mover(MoverPortal.Settings settings) throws IOException {
    f = new PortalFixture.Mover(tmp, settings);
    f.user("alice", "pw-a").grant("alice", "d").file("/d/a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
    events = new EventLines();
    return f;
  }

  @AfterEach
  void close() throws Exception {
    if (events != null) events.close();
    if (f != null) f.close();
  }

  private static void kind(Kind kind, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(FsException.class).extracting(e -> ((FsException) e).kind()).isEqualTo(kind);
  }

  private static FsPath p(String s) throws FsException {
    return FsPath.parse(s);
  }

  @Test
  void pathRulesLimitAPermissionToMatchingPaths() throws Exception {
    mover(MoverPortal.Settings.DEFAULTS);
    f.user("carl", "pw-c");
    f.grantWithRules("carl", "d", EnumSet.allOf(FsPermission.class), "put=incoming/.*",
        "get=.*\\.txt");
    f.file("/d/incoming/keep.bin", new byte[] {1});
    try (PortalFs fs = f.session("carl", "pw-c")) {
      assertThat(fs.allowed(FsPermission.PUT, p("/d/incoming/x"))).isTrue();
      assertThat(fs.allowed(FsPermission.PUT, p("/d/x"))).isFalse();
      try (FsUpload u = fs.write(p("/d/incoming/new.txt"))) {
        u.write(ByteBuffer.wrap(new byte[] {1, 2}));
        u.commit();
      }
      kind(Kind.DENIED, () -> fs.write(p("/d/outside.txt")));
      fs.read(p("/d/a.txt")).close();
      kind(Kind.DENIED, () -> fs.read(p("/d/incoming/keep.bin")));
    }
    assertThat(events.denied()).contains(
        "DEA;UserId=carl;Message=Put not granted on /d/outside.txt;Context=sftp,m1,127.0.0.1",
        "DEA;UserId=carl;Message=Get not granted on /d/incoming/keep.bin;Context=sftp,m1,127.0.0.1");
    assertThat(f.master.denied).contains("carl: Put not granted on /d/outside.txt");
  }

  @Test
  void sessionsPerUserAreCapped() throws Exception {
    mover(new MoverPortal.Settings(2, Duration.ofSeconds(5), Duration.ofSeconds(2)));
    PortalFs one = f.session("alice", "pw-a");
    PortalFs two = f.session("alice", "pw-a");
    assertThatThrownBy(() -> f.session("alice", "pw-a")).isInstanceOf(LoginException.class)
        .extracting(e -> ((LoginException) e).retryAfter().isPresent()).isEqualTo(false);
    assertThat(events.denied()).containsExactly("DEA;UserId=alice;Message=Too many sessions for user (2);Context=sftp,m1,127.0.0.1");
    one.close();
    one.close(); // a second close releases nothing more
    PortalFs three = f.session("alice", "pw-a");
    assertThat(f.portal().sessions("alice")).isEqualTo(2);
    two.close();
    three.close();
    assertThat(f.portal().sessions("alice")).isZero();
  }

  @Test
  void repeatedFailuresMakeTheAddressWait() throws Exception {
    mover(MoverPortal.Settings.DEFAULTS);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> f.session("alice", "bad")).isInstanceOf(LoginException.class)
          .extracting(e -> ((LoginException) e).retryAfter().isPresent()).isEqualTo(false);
    }
    // the fourth failure is held back; then even the right password waits
    assertThatThrownBy(() -> f.session("alice", "bad")).isInstanceOf(LoginException.class)
        .extracting(e -> ((LoginException) e).retryAfter().orElseThrow()).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> f.session("alice", "pw-a")).isInstanceOf(LoginException.class)
        .extracting(e -> ((LoginException) e).retryAfter().isPresent()).isEqualTo(true);
    assertThat(events.denied()).hasSize(5).endsWith(
        "DEA;UserId=alice;Message=Too many failed attempts from this address;Context=sftp,m1,127.0.0.1");
    assertThat(f.master.denied).hasSize(5);
  }

  @Test
  void publicKeysLogInThroughTheMaster() throws Exception {
    mover(MoverPortal.Settings.DEFAULTS);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair good = g.generateKeyPair();
    KeyPair other = g.generateKeyPair();
    f.master.key("alice", PublicKeyEntry.toString(good.getPublic()));
    try (PortalFs fs = f.login().publicKey("alice", good.getPublic(), "sftp", PortalFixture.CLIENT)) {
      assertThat(fs.list(p("/d"))).extracting(FsEntry::name).containsExactly("a.txt");
    }
    assertThatThrownBy(() -> f.login().publicKey("alice", other.getPublic(), "sftp", PortalFixture.CLIENT))
        .isInstanceOf(LoginException.class);
    assertThat(events.denied()).containsExactly(
        "DEA;UserId=alice;Message=Public key authentication failed;Context=sftp,m1,127.0.0.1");
  }

  @Test
  void theMastersRefusalsKeepTheirKindAndLeaveNothingInTheStore() throws Exception {
    mover(MoverPortal.Settings.DEFAULTS);
    try (PortalFs fs = f.session("alice", "pw-a")) {
      f.master.uploadRefusal = Status.RESOURCE_EXHAUSTED.withDescription("quota");
      FsUpload u = fs.write(p("/d/q.bin"));
      u.write(ByteBuffer.wrap(new byte[10]));
      kind(Kind.QUOTA_EXCEEDED, u::commit);
      u.close();
      f.master.uploadRefusal = null;
      f.master.connected = false;
      FsUpload v = fs.write(p("/d/q.bin"));
      v.write(ByteBuffer.wrap(new byte[10]));
      kind(Kind.UNAVAILABLE, v::commit);
      v.close();
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/d/q.bin")));
    }
    assertThat(f.store.heldIds()).hasSize(1); // a.txt only
    try (Stream<Path> temps = Files.list(tmp.resolve("vol/.tmp"))) {
      assertThat(temps).isEmpty();
    }
  }

  @Test
  void anUploadWhoseAckIsLateFailsButKeepsItsContentForTheLateReport() throws Exception {
    mover(new MoverPortal.Settings(2, Duration.ofMillis(200), Duration.ofSeconds(2)));
    f.master.silent = true;
    try (PortalFs fs = f.session("alice", "pw-a"); FsUpload u = fs.write(p("/d/late.bin"))) {
      u.write(ByteBuffer.wrap(new byte[42]));
      kind(Kind.UNAVAILABLE, u::commit);
    }
    // the master may have recorded the arrival: deleting the content would leave it a file without one
    assertThat(f.store.heldIds()).hasSize(2);
    assertThat(f.store.heldIds()).anySatisfy(id -> assertThat(Files.size(f.store.locate(id).orElseThrow())).isEqualTo(42));
  }

  @Test
  void anUploadIsStoredUnderItsDataFileIdWithItsDigest() throws Exception {
    mover(MoverPortal.Settings.DEFAULTS);
    try (PortalFs fs = f.session("alice", "pw-a"); FsUpload u = fs.write(p("/d/up.txt"))) {
      u.write(ByteBuffer.wrap("uploaded".getBytes(StandardCharsets.UTF_8)));
      FsEntry e = u.commit();
      long id = Long.parseLong(e.etag().substring(2));
      assertThat(Files.readString(f.store.locate(id).orElseThrow())).isEqualTo("uploaded");
    }
    assertThat(events.lines()).anySatisfy(l -> assertThat(l).startsWith("INH;").contains("Action=upload", "BytesSent=8",
        "TransferProtocol=sftp"));
  }
}
