package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.ecpds.master.movers.RemoteListings;
import org.ecpds.master.movers.RemoteOperationException;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.ListingPage;
import org.ecpds.proto.MoverMessage;
import org.ecpds.proto.RemoteEntry;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/** The master's side of remote listings, with a scripted mover: routing, page order, lost streams. */
class RemoteListingsTest {
  static final HostSpec HOST = HostSpec.newBuilder().setTransferMethod("sftp").setAddress("127.0.0.1").build();

  static MoverMessage page(Instruction i, int n, String... names) {
    ListingPage.Builder p = ListingPage.newBuilder().setCorrelationId(i.getCorrelationId()).setPage(n);
    for (String name : names) p.addEntries(RemoteEntry.newBuilder().setName(name));
    return MoverMessage.newBuilder().setListingPage(p).build();
  }

  static MoverMessage result(Instruction i, boolean ok, ErrorKind kind, long entries) {
    return MoverMessage.newBuilder().setResult(InstructionResult.newBuilder().setCorrelationId(i.getCorrelationId())
        .setOk(ok).setErrorKind(kind).setEntries(entries)).build();
  }

  static ErrorKind kind(CompletableFuture<?> f) {
    Throwable[] cause = new Throwable[1];
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).satisfies(e -> cause[0] = e.getCause());
    assertThat(cause[0]).isInstanceOf(RemoteOperationException.class);
    return ((RemoteOperationException) cause[0]).kind();
  }

  @Test
  void pagesInOrderThenTheCountOutOfOrderAndLostStreamsFail() throws Exception {
    try (MasterHarness m = new MasterHarness(TestDatabases.h2());
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 4)) {
      RemoteListings listings = m.node.remoteListings();
      List<List<String>> got = new CopyOnWriteArrayList<>();
      CompletableFuture<Long> ok = listings.list("mover-a", HOST, "in", 2,
          p -> got.add(p.stream().map(RemoteEntry::getName).toList()));
      Instruction i = mover.next();
      assertThat(i.getListDirectory().getDirectory()).isEqualTo("in");
      assertThat(i.getListDirectory().getPageSize()).isEqualTo(2);
      mover.send(page(i, 0, "a", "b"));
      mover.send(page(i, 1, "c"));
      mover.send(result(i, true, ErrorKind.ERROR_KIND_NONE, 3));
      assertThat(ok.get(10, TimeUnit.SECONDS)).isEqualTo(3);
      assertThat(got).containsExactly(List.of("a", "b"), List.of("c"));

      CompletableFuture<Long> skipped = listings.list("mover-a", HOST, "in", 0, p -> { });
      Instruction j = mover.next();
      mover.send(page(j, 1, "x"));
      assertThat(kind(skipped)).isEqualTo(ErrorKind.PROTOCOL);
      mover.send(result(j, true, ErrorKind.ERROR_KIND_NONE, 1)); // late: consumed, not a transfer's

      CompletableFuture<Void> del = listings.deleteRemote("mover-a", HOST, "in/f");
      Instruction d = mover.next();
      assertThat(d.getDeleteRemote().getPath()).isEqualTo("in/f");
      mover.send(result(d, false, ErrorKind.PERMISSION, 0));
      assertThat(kind(del)).isEqualTo(ErrorKind.PERMISSION);

      assertThat(kind(listings.list("mover-b", HOST, "in", 0, p -> { }))).isEqualTo(ErrorKind.NETWORK);

      CompletableFuture<Long> cut = listings.list("mover-a", HOST, "in", 0, p -> { });
      Instruction k = mover.next();
      mover.send(page(k, 0, "y"));
      mover.kill();
      assertThat(kind(cut)).isEqualTo(ErrorKind.NETWORK);
    }
  }
}
