package org.ecpds.mover.transfer.scp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.BytesPut;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.ssh.SshSessions;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the conformance suite does not cover for SCP: quoting, classification, keys, pinning. */
class ScpModuleTest {
  private static OpenSshServer sshd;
  private static ScpModuleFactory factory;

  @BeforeAll
  static void start() {
    sshd = OpenSshServer.start(OpenSshServer.USER + "s");
    factory = new ScpModuleFactory();
  }

  @AfterAll
  static void stop() {
    if (factory != null) factory.close();
    if (sshd != null) sshd.close();
  }

  private static HostSpec.Builder host() {
    return HostSpec.newBuilder().setTransferMethod("scp").setAddress("127.0.0.1").setPort(sshd.port())
        .setLogin(sshd.user()).setPassword(sshd.password()).putOptions("ectrans.connectTimeout", "5s");
  }

  private static TransferModule connect(HostSpec h) throws TransferException {
    TransferModule m = factory.create();
    m.connect(h, h.getOptionsMap());
    return m;
  }

  private static ErrorKind kind(Throwable e) {
    return ((TransferException) e).kind();
  }

  @Test
  void shellSpecialNamesArriveIntact() throws Exception {
    List<String> names = List.of("it's.txt", "$(touch pwned) `id`.txt", "-dash.txt", "semi;colon & amp.txt",
        "double \"quotes\".txt", "tab\there.txt");
    try (TransferModule m = connect(host().build())) {
      for (String n : names) {
        byte[] content = n.getBytes(StandardCharsets.UTF_8);
        m.put(new ByteArrayInputStream(content), content.length, "q/" + n, ProgressListener.NONE);
        assertThat(sshd.home().resolve("q").resolve(n)).as(n).hasBinaryContent(content);
        assertThat(m.size("q/" + n)).isEqualTo(content.length);
        try (InputStream in = m.get("q/" + n, 1)) {
          assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 1, content.length));
        }
      }
      assertThat(m.list("q")).extracting(RemoteFile::name).containsExactlyInAnyOrderElementsOf(names);
      m.rename("q/it's.txt", "q/it's renamed.txt");
      m.delete("q/it's renamed.txt");
      assertThat(sshd.home().resolve("q/it's renamed.txt")).doesNotExist();
    }
    assertThat(sshd.home().resolve("pwned")).doesNotExist();
  }

  @Test
  void errorsAreClassified() throws Exception {
    Path ro = sshd.home().resolve("readonly");
    Files.createDirectories(ro.resolve("sub"));
    Files.writeString(ro.resolve("sub/f.txt"), "x"); // owned by root: the account may not touch it
    try (TransferModule m = connect(host().build())) {
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[5]), 5, "readonly/a.bin", ProgressListener.NONE))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.PERMISSION));
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[5]), -1, "readonly/b.bin", ProgressListener.NONE))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.PERMISSION));
      assertThatThrownBy(() -> m.delete("readonly/sub/f.txt"))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.PERMISSION));
      assertThatThrownBy(() -> m.get("missing.bin", 0))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.NOT_FOUND));
      assertThatThrownBy(() -> m.get("missing.bin", 10))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.NOT_FOUND));
      assertThatThrownBy(() -> m.list("missing-dir"))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.NOT_FOUND));
      assertThatThrownBy(() -> m.rename("missing.bin", "other.bin"))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.NOT_FOUND));
      // a short source fails LOCAL and leaves neither the final nor the temp file
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[5]), 10, "short.bin", ProgressListener.NONE))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.LOCAL));
      assertThat(sshd.home().resolve("short.bin")).doesNotExist();
      assertThat(sshd.home().resolve(".short.bin" + ScpModule.TMP_SUFFIX)).doesNotExist();
      // the session is still usable after all these failures
      m.put(new ByteArrayInputStream(new byte[3]), 3, "after.bin", ProgressListener.NONE);
      assertThat(m.size("after.bin")).isEqualTo(3);
    }
  }

  @Test
  void keyLoginFallsBackToTheSftpOptionAndFingerprintIsPinned() throws Exception {
    String key = Files.readString(sshd.clientKey());
    String fp = Processes.run(null, List.of("ssh-keygen", "-l", "-E", "sha256", "-f", sshd.clientKey() + ".pub")).split(" ")[1];
    HostSpec byKey = host().setPassword("").putOptions("sftp.privateKey", key).build();
    try (TransferModule m = connect(byKey)) {
      assertThat(m.size("nothing-here")).isEqualTo(-1);
    }
    // the client key's fingerprint is not the server's: refused before any credential is sent
    HostSpec pinnedWrong = host().putOptions("scp.fingerPrint", fp).build();
    assertThatThrownBy(() -> connect(pinnedWrong))
        .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.AUTHENTICATION));
  }

  @Test
  void aPutIsOneExecWithTheRenameInIt() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    SshClient client = countingChannels(opened);
    try (TransferModule m = new ScpModule(client)) {
      HostSpec h = host().build();
      m.connect(h, h.getOptionsMap());
      m.mkdirs("one-exec");
      int before = opened.get();
      for (int i = 0; i < 3; i++) {
        byte[] content = ("file " + i).getBytes(StandardCharsets.UTF_8);
        m.put(new ByteArrayInputStream(content), content.length, "one-exec/f" + i, ProgressListener.NONE);
        assertThat(sshd.home().resolve("one-exec/f" + i)).hasBinaryContent(content);
      }
      assertThat(opened.get() - before).as("exec channels for 3 puts").isEqualTo(3);
      try (var names = Files.list(sshd.home().resolve("one-exec"))) {
        assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("f0", "f1", "f2");
      }
    } finally {
      client.stop();
    }
  }

  @Test
  void aLongerSourceIsNeverPublished() throws Exception {
    try (TransferModule m = connect(host().build())) {
      m.mkdirs("long");
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[10]), 5, "long/a.bin", ProgressListener.NONE))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.LOCAL));
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[1]), 0, "long/empty.bin", ProgressListener.NONE))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.LOCAL));
      try (var names = Files.list(sshd.home().resolve("long"))) {
        assertThat(names).isEmpty();
      }
    }
  }

  @Test
  void aRefusedRenameAfterACompleteCopyFailsThePut() throws Exception {
    try (TransferModule m = connect(host().build())) {
      m.mkdirs("pub");
      // mv into a directory the account may not write: scp itself succeeds, the rename does not
      Files.createDirectory(sshd.home().resolve("pub/blocked"));
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[7]), 7, "pub/blocked", ProgressListener.NONE))
          .satisfies(e -> assertThat(kind(e)).as(e.getMessage()).isEqualTo(ErrorKind.PERMISSION));
      assertThat(sshd.home().resolve("pub/.blocked" + ScpModule.TMP_SUFFIX)).doesNotExist();
      try (var names = Files.list(sshd.home().resolve("pub/blocked"))) {
        assertThat(names).isEmpty();
      }
    }
  }

  @Test
  void aBatchIntoOneDirectoryIsOneExec() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    SshClient client = countingChannels(opened);
    try (TransferModule m = new ScpModule(client)) {
      HostSpec h = host().build();
      m.connect(h, h.getOptionsMap());
      m.mkdirs("one-exec");
      List<BatchPut> puts = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) puts.add(BytesPut.of("one-exec/it's " + i + ".txt", "content " + i));
      int before = opened.get();
      List<PutResult> results = m.putAll(puts);
      assertThat(opened.get() - before).as("exec channels for a batch of 20").isEqualTo(1);
      for (int i = 0; i < 20; i++) {
        assertThat(results.get(i).ok()).as(i + ": " + results.get(i)).isTrue();
        assertThat(results.get(i).bytes()).isEqualTo(("content " + i).length());
        assertThat(sshd.home().resolve("one-exec/it's " + i + ".txt")).hasContent("content " + i);
      }
      try (var names = Files.list(sshd.home().resolve("one-exec"))) {
        assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(ScpModule.TMP_SUFFIX));
      }
    } finally {
      client.stop();
    }
  }

  @Test
  void aSourceThatBreaksOffMidBatchLeavesTheStoredOnesToASecondExec() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    SshClient client = countingChannels(opened);
    // declares 10 bytes, gives 3: the sink waits for bytes that never come, so this exec must end
    BatchPut shortSource = new BatchPut() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public long size() {
        return 10;
      }

      @Override
      public String targetPath() {
        return "broken-off/short.bin";
      }

      @Override
      public ProgressListener progress() {
        return ProgressListener.NONE;
      }
    };
    try (TransferModule m = new ScpModule(client)) {
      HostSpec h = host().build();
      m.connect(h, h.getOptionsMap());
      int before = opened.get();
      List<PutResult> r = m.putAll(List.of(BytesPut.of("broken-off/a.bin", "aaa"), shortSource,
          BytesPut.of("broken-off/c.bin", "c")));
      assertThat(r.get(0).bytes()).as(String.valueOf(r.get(0))).isEqualTo(3);
      assertThat(r.get(1).error().kind()).as(r.get(1).error().getMessage()).isEqualTo(ErrorKind.LOCAL);
      assertThat(r.get(2).attempted()).as("sent again later, on a new exec").isFalse();
      // the batch's exec (its shell does not move: scp failed), the move of the stored file, and the
      // removal of the hidden directory with the partial file (the sink opened it at its C record)
      assertThat(opened.get() - before).as("exec channels").isEqualTo(3);
      try (var names = Files.list(sshd.home().resolve("broken-off"))) {
        assertThat(names.map(p -> p.getFileName().toString())).containsExactly("a.bin");
      }
      assertThat(sshd.home().resolve("broken-off/a.bin")).hasContent("aaa");
    } finally {
      client.stop();
    }
  }

  @Test
  void aFailingMemberOfABatchFailsAlone() throws Exception {
    Files.createDirectories(sshd.home().resolve("ro-batch")); // owned by root: the account may not write
    Path okDir = Files.createDirectories(sshd.home().resolve("ok-batch"));
    Processes.run(null, List.of("chown", sshd.user(), okDir.toString()));
    Files.createDirectory(okDir.resolve("blocked")); // a root-owned directory: mv into it is refused
    try (TransferModule m = connect(host().build())) {
      List<PutResult> r = m.putAll(List.of(
          BytesPut.of("ok-batch/a.bin", "aaa"),
          BytesPut.of("ro-batch/x.bin", "xx"),
          BytesPut.refused("ok-batch/b.bin", ErrorKind.CANCELLED),
          BytesPut.of("ok-batch/blocked", "blocked"),
          BytesPut.of("ok-batch/c.bin", "c"),
          BytesPut.of("new-batch/sub/d.bin", "dddd")));
      assertThat(r).hasSize(6);
      assertThat(r.get(0).bytes()).isEqualTo(3);
      assertThat(r.get(1).error().kind()).as(r.get(1).error().getMessage()).isEqualTo(ErrorKind.PERMISSION);
      assertThat(r.get(2).error().kind()).isEqualTo(ErrorKind.CANCELLED);
      assertThat(r.get(3).error().kind()).as(r.get(3).error().getMessage()).isEqualTo(ErrorKind.PERMISSION);
      assertThat(r.get(4).bytes()).isEqualTo(1);
      assertThat(r.get(5).bytes()).as("a missing directory is created").isEqualTo(4);
      assertThat(okDir.resolve("a.bin")).hasContent("aaa");
      assertThat(okDir.resolve("c.bin")).hasContent("c");
      assertThat(okDir.resolve("b.bin")).doesNotExist();
      assertThat(sshd.home().resolve("new-batch/sub/d.bin")).hasContent("dddd");
      try (var names = Files.list(okDir)) {
        assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.bin", "c.bin", "blocked");
      }
      try (var names = Files.list(okDir.resolve("blocked"))) {
        assertThat(names).isEmpty();
      }
      // the session is still usable
      assertThat(m.putAll(List.of(BytesPut.of("ok-batch/e.bin", "e"), BytesPut.of("ok-batch/f.bin", "f"))))
          .allMatch(PutResult::ok);
    }
  }

  /** A client that counts the channels it opens (exec channels: a channel per remote command). */
  private static SshClient countingChannels(AtomicInteger opened) {
    SshClient client = SshSessions.newClient();
    client.addChannelListener(new ChannelListener() {
      @Override
      public void channelOpenSuccess(Channel channel) {
        opened.incrementAndGet();
      }
    });
    return client;
  }
}
