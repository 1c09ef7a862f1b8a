package org.ecpds.mover.dissemination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.mover.transfer.sftp.SftpModuleFactory;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Progress;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfers to the same host reuse one SSH session; a kept session that died is replaced transparently. */
class SessionReuseTest {
  @TempDir Path dir;

  @Test
  void consecutiveTransfersShareOneLoginAndSurviveADeadSession() throws Exception {
    BlockingQueue<InstructionResult> results = new LinkedBlockingQueue<>();
    DataStore store = DataStore.open(List.of(dir));
    for (long id = 1; id <= 6; id++) store.store(id, new ByteArrayInputStream(("file " + id).getBytes()), -1);
    try (OpenSshServer sshd = OpenSshServer.start();
        DisseminationExecutor executor = new DisseminationExecutor(store, new TransferModules().register(new SftpModuleFactory()),
            new ResultSink() {
              @Override
              public void sendResult(InstructionResult r) {
                results.add(r);
              }

              @Override
              public void sendProgress(Progress p) { }
            }, 1, Duration.ofSeconds(1))) {
      HostSpec host = HostSpec.newBuilder().setTransferMethod("sftp").setAddress("127.0.0.1").setPort(sshd.port())
          .setLogin(sshd.user()).setPassword(sshd.password()).build();
      for (long id = 1; id <= 4; id++) send(executor, results, host, id);
      assertThat(logins(sshd)).as("four files, one login").isEqualTo(1);

      sshd.stop(); // the kept session dies with the server
      sshd.restart();
      for (long id = 5; id <= 6; id++) send(executor, results, host, id);
      assertThat(logins(sshd)).isEqualTo(2);
      for (long id = 1; id <= 6; id++) {
        assertThat(Files.readString(sshd.home().resolve("out/f" + id))).isEqualTo("file " + id);
      }
    }
  }

  private static void send(DisseminationExecutor executor, BlockingQueue<InstructionResult> results, HostSpec host,
      long id) throws InterruptedException {
    executor.onInstruction(Instruction.newBuilder().setCorrelationId("c" + id).setDisseminate(Disseminate.newBuilder()
        .setDataFileId(id).setHost(host).setTargetPath("out/f" + id)).build());
    InstructionResult r = results.poll(30, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(r.getOk()).as(r.getMessage()).isTrue();
  }

  private static long logins(OpenSshServer sshd) throws java.io.IOException {
    return Files.readAllLines(sshd.log()).stream().filter(l -> l.contains("Accepted password")).count();
  }
}
