package org.ecpds.mover.transfer.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.SftpMessage;
import org.apache.sshd.sftp.common.SftpConstants;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;

class CallerCompletionsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aTaskHandedOverInsideRunRunsOnTheCallingThreadAndOtherwiseOnThePool() throws Exception {
    CallerCompletions pool = CallerCompletions.newPool("test-io", 1);
    try {
      Thread caller = Thread.currentThread();
      Thread inside = CallerCompletions.run(pool, p -> ranOn(p));
      assertThat(inside).isSameAs(caller);
      Thread outside = ranOn(pool);
      assertThat(outside).isNotSameAs(caller);
      assertThat(outside.getName()).isEqualTo("test-io-1");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onlyTheThreadInsideRunRunsTasksItself() throws Exception {
    CallerCompletions pool = CallerCompletions.newPool("test-io", 1);
    try {
      CompletableFuture<Thread> other = new CompletableFuture<>();
      CountDownLatch inRun = new CountDownLatch(1);
      Thread helper = new Thread(() -> {
        try {
          assertThat(inRun.await(30, TimeUnit.SECONDS)).isTrue();
          other.complete(ranOn(pool));
        } catch (Exception e) {
          other.completeExceptionally(e);
        }
      }, "helper");
      helper.start();
      CallerCompletions.run(pool, p -> {
        inRun.countDown();
        try {
          return other.get(30, TimeUnit.SECONDS); // handed over by the helper while this thread is inside run
        } catch (Exception e) {
          throw new IOException(e);
        }
      });
      assertThat(other.get().getName()).isEqualTo("test-io-1");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void afterAFailedRunTasksGoBackToThePool() throws Exception {
    CallerCompletions pool = CallerCompletions.newPool("test-io", 1);
    try {
      assertThatThrownBy(() -> CallerCompletions.run(pool, p -> {
        throw new IOException("refused");
      })).isInstanceOf(IOException.class);
      assertThat(ranOn(pool).getName()).isEqualTo("test-io-1");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * What the pool is for: an SFTP request written by the transfer thread is complete when the write
   * returns (its completion ran on this thread), so the next request's wait for it costs no hand-off.
   */
  @Test
  void anSftpRequestWrittenInsideRunIsCompleteWhenTheWriteReturns() throws Exception {
    try (OpenSshServer sshd = OpenSshServer.start()) {
      SshClient client = SshSessions.newClient();
      try (ClientSession s = client.connect(sshd.user(), "127.0.0.1", sshd.port()).verify(WAIT).getSession()) {
        s.addPasswordIdentity(sshd.password());
        s.auth().verify(WAIT);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
          RawSftpClient raw = (RawSftpClient) sftp;
          for (int i = 0; i < 20; i++) {
            Buffer b = new ByteArrayBuffer(64, false);
            b.putString(".");
            SftpMessage m = CallerCompletions.run(b, x -> raw.write(SftpConstants.SSH_FXP_REALPATH, x));
            assertThat(m.getFuture().isDone()).as("request %d written and completed by the caller", i).isTrue();
            assertThat(m.getFuture().isWritten()).isTrue();
            Buffer reply = raw.receive(m.getId(), WAIT);
            assertThat(reply).isNotNull();
          }
        }
      } finally {
        client.stop();
      }
    }
  }

  private static Thread ranOn(CallerCompletions pool) throws IOException {
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    pool.execute(() -> ran.complete(Thread.currentThread()));
    try {
      return ran.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
