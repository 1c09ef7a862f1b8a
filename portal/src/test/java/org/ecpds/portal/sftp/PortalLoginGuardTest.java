package org.ecpds.portal.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ecpds.portal.sftp.InMemoryPortalBackend.grant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refused SFTP logins (real OpenSSH client): DEA lines with the mover and the client address, then
 * refusals held back (asynchronously) and an address refused before its password is checked,
 * while the same user logs in at once from another address.
 */
class PortalLoginGuardTest {
  private static final String FAILED = "DEA;UserId=alice;Message=Password authentication failed;Context=sftp,mover-g,127.0.0.1";
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  @TempDir Path tmp;
  private InMemoryPortalBackend backend;
  private PortalSftpServer server;
  private SftpCli sftp;
  private EventLines events;

  @BeforeEach
  void start() throws Exception {
    backend = new InMemoryPortalBackend();
    backend.addUser("alice", "s3cret", grant("forecast", true, true));
    server = new PortalSftpServer(backend, "127.0.0.1", 0, tmp.resolve("keys"), "mover-g",
        new LoginGuard(LoginGuard.DEFAULTS, clock));
    server.start();
    sftp = new SftpCli(server.port(), Files.createDirectories(tmp.resolve("client")));
    events = new EventLines();
  }

  @AfterEach
  void stop() throws Exception {
    events.close();
    server.close();
  }

  @Test
  void repeatedWrongPasswordsAreAuditedHeldBackAndTheAddressWaits() throws Exception {
    for (int i = 0; i < 3; i++) assertThat(sftp.run("alice", "wrong", "ls /").exitCode()).isNotZero();
    assertThat(events.denied()).containsExactly(FAILED, FAILED, FAILED);

    // the fourth failure earns a 1 s wait: its refusal is only answered after it
    long start = System.nanoTime();
    assertThat(sftp.run("alice", "wrong", "ls /").exitCode()).isNotZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    // while the address waits, the right password is refused without being checked...
    assertThat(sftp.run("alice", "s3cret", "ls /").exitCode()).isNotZero();
    assertThat(events.denied()).hasSize(5).endsWith(
        "DEA;UserId=alice;Message=Too many failed attempts from this address;Context=sftp,mover-g,127.0.0.1");
    // ...but alice gets in at once from another address, and from this one once the wait is over
    SftpCli.Result other = sftp.runFrom("127.0.0.2", "alice", "s3cret", "ls /");
    assertThat(other.exitCode()).as(other.output()).isZero();
    clock.advance(Duration.ofSeconds(1));
    SftpCli.Result again = sftp.run("alice", "s3cret", "ls /");
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(events.denied()).hasSize(5);
    // the master still hears of every refusal
    assertThat(backend.denials).hasSize(5);
  }
}
