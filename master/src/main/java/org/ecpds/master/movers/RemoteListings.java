package org.ecpds.master.movers;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.ecpds.proto.Cancel;
import org.ecpds.proto.DeleteRemote;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.ListDirectory;
import org.ecpds.proto.ListingPage;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.RemoteEntry;

/**
 * Asks a mover to list a remote directory or delete a remote file (acquisition) and answers with a
 * future. A listing's pages reach {@code pages} in order, on the mover's control-stream thread:
 * the stream takes the next message only when the consumer returns, so a slow consumer slows the
 * mover's listing instead of filling memory. Failures complete the future with a
 * {@link RemoteOperationException} carrying the mover's {@link ErrorKind}; a listing whose mover's
 * stream ends fails NETWORK at once (its remaining pages are lost).
 */
public final class RemoteListings {
  private final MoverRegistry movers;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  public RemoteListings(MoverRegistry movers) {
    this.movers = movers;
  }

  private static final class Pending {
    final long moverId;
    final MoverSession session;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final Consumer<List<RemoteEntry>> pages; // null for a delete
    int nextPage;

    Pending(long moverId, MoverSession session, Consumer<List<RemoteEntry>> pages) {
      this.moverId = moverId;
      this.session = session;
      this.pages = pages;
    }
  }

  /**
   * Lists {@code directory} on {@code host} through the mover {@code moverName}, pages of
   * {@code pageSize} entries (0 = the mover's default, 1,000).
   *
   * @return the number of entries, once the last page has been consumed
   */
  public CompletableFuture<Long> list(String moverName, HostSpec host, String directory, int pageSize,
      Consumer<List<RemoteEntry>> pages) {
    return send(moverName, pages, Instruction.newBuilder().setListDirectory(
        ListDirectory.newBuilder().setHost(host).setDirectory(directory).setPageSize(Math.max(0, pageSize))));
  }

  /** Deletes one file on {@code host} through the mover {@code moverName}. */
  public CompletableFuture<Void> deleteRemote(String moverName, HostSpec host, String path) {
    return send(moverName, null, Instruction.newBuilder().setDeleteRemote(
        DeleteRemote.newBuilder().setHost(host).setPath(path))).thenApply(n -> null);
  }

  private CompletableFuture<Long> send(String moverName, Consumer<List<RemoteEntry>> pages, Instruction.Builder in) {
    var live = movers.onlineId(moverName).flatMap(id -> movers.online(id).map(l -> Map.entry(id, l.session())));
    if (live.isEmpty()) {
      return CompletableFuture.failedFuture(new RemoteOperationException(ErrorKind.NETWORK, "mover " + moverName + " is not online"));
    }
    String id = (pages == null ? "rdel-" : "list-") + UUID.randomUUID();
    Pending p = new Pending(live.get().getKey(), live.get().getValue(), pages);
    pending.put(id, p);
    if (!p.session.send(MasterMessage.newBuilder().setInstruction(in.setCorrelationId(id)).build())) {
      fail(id, ErrorKind.NETWORK, "the control stream of mover " + moverName + " is closed");
    }
    return p.done;
  }

  /** A page from a mover's stream (called in stream order). */
  public void page(long moverId, ListingPage page) {
    String id = page.getCorrelationId();
    Pending p = pending.get(id);
    if (p == null || p.pages == null || p.moverId != moverId) return; // cancelled, failed or not ours
    if (page.getPage() != p.nextPage) {
      fail(id, ErrorKind.PROTOCOL, "page " + page.getPage() + " came when page " + p.nextPage + " was due");
      return;
    }
    p.nextPage++;
    try {
      p.pages.accept(page.getEntriesList());
    } catch (RuntimeException e) { // the consumer gave up: stop the mover's listing too
      if (pending.remove(id, p)) {
        p.done.completeExceptionally(e);
        p.session.send(MasterMessage.newBuilder().setInstruction(
            Instruction.newBuilder().setCorrelationId("cancel-" + id)
                .setCancel(Cancel.newBuilder().setCorrelationIdToCancel(id))).build());
      }
    }
  }

  /** True when the result belongs to a listing or remote delete (then it is consumed here). */
  public boolean result(InstructionResult r) {
    String id = r.getCorrelationId();
    if (id.startsWith("cancel-list-")) return true; // the answer to our own cancel
    Pending p = pending.remove(id);
    if (p == null) return id.startsWith("list-") || id.startsWith("rdel-");
    if (r.getOk()) p.done.complete(r.getEntries());
    else p.done.completeExceptionally(new RemoteOperationException(r.getErrorKind(), r.getMessage()));
    return true;
  }

  /** A mover's stream ended: what was sent on it cannot be answered any more. */
  public void streamLost(MoverSession session) {
    pending.forEach((id, p) -> {
      if (p.session == session) fail(id, ErrorKind.NETWORK, "the mover's control stream ended");
    });
  }

  private void fail(String id, ErrorKind kind, String message) {
    Pending p = pending.remove(id);
    if (p != null) p.done.completeExceptionally(new RemoteOperationException(kind, message));
  }
}
