package org.ecpds.mover.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.ecpds.mover.link.InstructionHandler;
import org.ecpds.mover.link.PageSink;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.mover.transfer.ftp.FtpModuleFactory;
import org.ecpds.mover.transfer.sftp.SftpModuleFactory;
import org.ecpds.proto.Cancel;
import org.ecpds.proto.DeleteRemote;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.ListDirectory;
import org.ecpds.proto.ListingPage;
import org.ecpds.proto.Progress;
import org.ecpds.proto.RemoteEntry;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.VsftpdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ListDirectory, DeleteRemote and Cancel against a private OpenSSH sshd and vsftpd. */
class RemoteListingExecutorTest {
  static final int FILES = 2500;
  static final Duration WAIT = Duration.ofSeconds(60);
  static OpenSshServer sshd;
  static VsftpdServer vsftpd;

  final Map<String, InstructionResult> results = new ConcurrentHashMap<>();
  final List<ListingPage> pages = new CopyOnWriteArrayList<>();
  final ResultSink resultSink = new ResultSink() {
    @Override
    public void sendResult(InstructionResult r) {
      results.put(r.getCorrelationId(), r);
    }

    @Override
    public void sendProgress(Progress p) {}
  };
  final TransferModules modules = new TransferModules().register(new SftpModuleFactory()).register(new FtpModuleFactory());
  RemoteListingExecutor executor;

  @BeforeAll
  static void start() throws Exception {
    sshd = OpenSshServer.start();
    vsftpd = VsftpdServer.start(VsftpdServer.Mode.PLAIN);
    for (Path dir : List.of(sshd.home().resolve("big"), vsftpd.root().resolve("big"))) {
      Files.createDirectories(dir.resolve("sub"));
      for (int i = 0; i < FILES; i++) Files.writeString(dir.resolve(String.format("f%05d", i)), "x".repeat(i % 5));
    }
  }

  @AfterAll
  static void stop() {
    if (sshd != null) sshd.close();
    if (vsftpd != null) vsftpd.close();
  }

  @AfterEach
  void closeExecutor() {
    if (executor != null) executor.close();
    modules.close();
  }

  static HostSpec sftp() {
    return HostSpec.newBuilder().setTransferMethod("sftp").setAddress("127.0.0.1").setPort(sshd.port())
        .setLogin(sshd.user()).setPassword(sshd.password()).putOptions("ectrans.connectTimeout", "5s").build();
  }

  static HostSpec ftp() {
    return HostSpec.newBuilder().setTransferMethod("ftp").setAddress("127.0.0.1").setPort(vsftpd.port())
        .setLogin(vsftpd.user()).setPassword(vsftpd.password()).putOptions("ectrans.connectTimeout", "5s").build();
  }

  InstructionHandler handler(PageSink sink) {
    executor = new RemoteListingExecutor(modules, resultSink, sink, 2);
    return executor.before(in -> resultSink.sendResult(InstructionResult.newBuilder()
        .setCorrelationId(in.getCorrelationId()).setMessage("passed on").build()));
  }

  InstructionHandler handler() {
    return handler(p -> pages.add(p));
  }

  static Instruction list(String id, HostSpec host, String dir, int pageSize) {
    return Instruction.newBuilder().setCorrelationId(id)
        .setListDirectory(ListDirectory.newBuilder().setHost(host).setDirectory(dir).setPageSize(pageSize)).build();
  }

  InstructionResult await(String id) throws Exception {
    return Conditions.awaitValue("result of " + id, WAIT, () -> java.util.Optional.ofNullable(results.get(id)));
  }

  void checkBigListing(HostSpec host) throws Exception {
    handler().onInstruction(list("l1", host, "big", 1000));
    InstructionResult r = await("l1");
    assertThat(r.getOk()).as(r.getMessage()).isTrue();
    assertThat(r.getEntries()).isEqualTo(FILES + 1);
    assertThat(pages).extracting(ListingPage::getPage).containsExactly(0, 1, 2);
    assertThat(pages).extracting(ListingPage::getEntriesCount).containsExactly(1000, 1000, 501);
    assertThat(pages).extracting(ListingPage::getCorrelationId).containsOnly("l1");
    Set<String> names = new HashSet<>();
    pages.forEach(p -> p.getEntriesList().forEach(e -> names.add(e.getName())));
    assertThat(names).hasSize(FILES + 1).contains("f00000", "f02499", "sub");
    RemoteEntry sub = pages.stream().flatMap(p -> p.getEntriesList().stream()).filter(e -> e.getName().equals("sub"))
        .findFirst().orElseThrow();
    assertThat(sub.getDirectory()).isTrue();
  }

  @Test
  void sftpListingComesInOrderedPagesThenTheCount() throws Exception {
    checkBigListing(sftp());
  }

  @Test
  void ftpListingComesInOrderedPagesThenTheCount() throws Exception {
    checkBigListing(ftp());
  }

  @Test
  void failuresAreClassified() throws Exception {
    InstructionHandler h = handler();
    h.onInstruction(list("missing", sftp(), "no/such/dir", 0));
    h.onInstruction(list("badpw", sftp().toBuilder().setPassword("wrong").build(), "big", 0));
    h.onInstruction(list("noserver", sftp().toBuilder().setPort(FreePorts.next()).build(), "big", 0));
    h.onInstruction(list("ftpmissing", ftp(), "no/such/dir", 0));
    assertThat(await("missing").getErrorKind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(await("badpw").getErrorKind()).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(await("noserver").getErrorKind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(await("ftpmissing").getErrorKind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(pages).isEmpty();
  }

  @Test
  void deleteRemoteDeletesOneFile() throws Exception {
    try (TransferModule m = modules.create(sftp())) {
      m.connect(sftp(), Map.of());
      m.put(new ByteArrayInputStream(new byte[] {1, 2}), 2, "del/a.bin", ProgressListener.NONE);
      m.put(new ByteArrayInputStream(new byte[] {3}), 1, "del/b.bin", ProgressListener.NONE);
    }
    InstructionHandler h = handler();
    h.onInstruction(Instruction.newBuilder().setCorrelationId("d1")
        .setDeleteRemote(DeleteRemote.newBuilder().setHost(sftp()).setPath("del/a.bin")).build());
    assertThat(await("d1").getOk()).isTrue();
    assertThat(sshd.home().resolve("del/a.bin")).doesNotExist();
    assertThat(sshd.home().resolve("del/b.bin")).exists();
    h.onInstruction(Instruction.newBuilder().setCorrelationId("d2")
        .setDeleteRemote(DeleteRemote.newBuilder().setHost(sftp()).setPath("del/a.bin")).build());
    assertThat(await("d2").getErrorKind()).isEqualTo(ErrorKind.NOT_FOUND);
  }

  @Test
  void aListingWaitsForTheLinkAndCancelStopsIt() throws Exception {
    CountDownLatch firstOffered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    InstructionHandler h = handler(p -> {
      pages.add(p);
      firstOffered.countDown();
      never.await(); // a link that takes nothing more: the listing must not run ahead
      return true;
    });
    h.onInstruction(list("slow", sftp(), "big", 100));
    Conditions.await("first page offered", WAIT, () -> firstOffered.getCount() == 0);
    assertThat(executor.runningCorrelationIds()).containsExactly("slow");
    h.onInstruction(Instruction.newBuilder().setCorrelationId("c1")
        .setCancel(Cancel.newBuilder().setCorrelationIdToCancel("slow")).build());
    assertThat(await("c1").getOk()).isTrue();
    assertThat(await("slow").getErrorKind()).isEqualTo(ErrorKind.CANCELLED);
    assertThat(pages).hasSize(1);
    // a Cancel of something else is not ours
    h.onInstruction(Instruction.newBuilder().setCorrelationId("c2")
        .setCancel(Cancel.newBuilder().setCorrelationIdToCancel("a-transfer")).build());
    assertThat(await("c2").getMessage()).isEqualTo("passed on");
  }
}
