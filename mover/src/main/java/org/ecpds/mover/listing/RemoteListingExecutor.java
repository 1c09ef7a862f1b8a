package org.ecpds.mover.listing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ecpds.mover.link.InstructionHandler;
import org.ecpds.mover.link.PageSink;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.proto.DeleteRemote;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.ListDirectory;
import org.ecpds.proto.ListingPage;
import org.ecpds.proto.RemoteEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ListDirectory and DeleteRemote for the master's acquisition: each on its own session to the
 * host. A listing streams the module's entries into pages of {@code page_size} (default
 * {@value #DEFAULT_PAGE}) sent in order, page numbers from 0, each only when the master link can
 * take it, so a directory of any size costs one page of memory; then one InstructionResult with
 * the number of entries. A Cancel of a running listing closes its session.
 */
public final class RemoteListingExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteListingExecutor.class);
  public static final int DEFAULT_PAGE = 1_000;
  static final int MAX_PAGE = 10_000; // keeps a page well under gRPC's 4 MiB message limit

  private final TransferModules modules;
  private final ResultSink results;
  private final PageSink pages;
  private final ThreadPoolExecutor pool;
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  public RemoteListingExecutor(TransferModules modules, ResultSink results, PageSink pages, int maxParallel) {
    this.modules = modules;
    this.results = results;
    this.pages = pages;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(maxParallel, maxParallel, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "remote-listing-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
  }

  /** Takes the listing instructions (and Cancels of its own), hands everything else to {@code next}. */
  public InstructionHandler before(InstructionHandler next) {
    return in -> {
      switch (in.getKindCase()) {
        case LIST_DIRECTORY, DELETE_REMOTE -> submit(in);
        case CANCEL -> {
          if (!cancel(in.getCorrelationId(), in.getCancel().getCorrelationIdToCancel())) next.onInstruction(in);
        }
        default -> next.onInstruction(in);
      }
    };
  }

  private static final class Running {
    volatile TransferModule module;
    volatile boolean cancelled;
    volatile Future<?> task;
  }

  private void submit(Instruction in) {
    String id = in.getCorrelationId();
    Running r = new Running();
    if (running.putIfAbsent(id, r) != null) {
      LOG.info("instruction {} is already running; ignoring the duplicate", id);
      return;
    }
    r.task = pool.submit(() -> {
      InstructionResult result;
      try {
        result = in.hasListDirectory() ? list(id, in.getListDirectory(), r) : delete(id, in.getDeleteRemote(), r);
      } finally {
        running.remove(id, r);
      }
      results.sendResult(result);
    });
  }

  private boolean cancel(String cancelId, String target) {
    Running r = running.get(target);
    if (r == null) return false;
    abort(r);
    results.sendResult(InstructionResult.newBuilder().setCorrelationId(cancelId).setOk(true)
        .setMessage("cancelled " + target).build());
    return true;
  }

  private static void abort(Running r) {
    r.cancelled = true;
    TransferModule m = r.module;
    if (m != null) m.close(); // aborts a listing blocked on the network
    Future<?> f = r.task;
    if (f != null) f.cancel(true); // wakes one waiting for the link to take a page
  }

  private InstructionResult list(String id, ListDirectory l, Running r) {
    int size = l.getPageSize() > 0 ? Math.min(l.getPageSize(), MAX_PAGE) : DEFAULT_PAGE;
    Pager pager = new Pager(id, size);
    try (TransferModule m = open(l.getHost(), r)) {
      m.list(l.getDirectory(), pager);
      pager.flush();
      return InstructionResult.newBuilder().setCorrelationId(id).setOk(true).setEntries(pager.entries)
          .setMessage(pager.entries + " entries in " + pager.page + " pages").build();
    } catch (TransferException e) {
      return failed(id, r.cancelled ? ErrorKind.CANCELLED : e.kind(), "cannot list " + l.getDirectory() + ": " + e.getMessage());
    } catch (LinkLost e) {
      return failed(id, r.cancelled ? ErrorKind.CANCELLED : ErrorKind.NETWORK, "listing " + l.getDirectory() + " stopped: " + e.getMessage());
    }
  }

  private InstructionResult delete(String id, DeleteRemote d, Running r) {
    try (TransferModule m = open(d.getHost(), r)) {
      m.delete(d.getPath());
      return InstructionResult.newBuilder().setCorrelationId(id).setOk(true).setMessage("deleted " + d.getPath()).build();
    } catch (TransferException e) {
      return failed(id, r.cancelled ? ErrorKind.CANCELLED : e.kind(), "cannot delete " + d.getPath() + ": " + e.getMessage());
    }
  }

  private TransferModule open(org.ecpds.proto.HostSpec host, Running r) throws TransferException {
    TransferModule m = modules.create(host);
    r.module = m;
    if (r.cancelled) {
      m.close();
      throw new TransferException(ErrorKind.CANCELLED, "cancelled");
    }
    try {
      m.connect(host, host.getOptionsMap());
      return m;
    } catch (TransferException e) {
      m.close();
      throw e;
    }
  }

  private static InstructionResult failed(String id, ErrorKind kind, String message) {
    return InstructionResult.newBuilder().setCorrelationId(id).setOk(false).setErrorKind(kind).setMessage(message).build();
  }

  /** The link went away or the thread was interrupted (cancel) while a page waited. */
  private static final class LinkLost extends RuntimeException {
    LinkLost(String message) {
      super(message, null, false, false);
    }
  }

  /** Collects entries into one page at a time and sends each full page. */
  private final class Pager implements java.util.function.Consumer<RemoteFile> {
    final String id;
    final int size;
    ListingPage.Builder current = ListingPage.newBuilder();
    int page;
    long entries;

    Pager(String id, int size) {
      this.id = id;
      this.size = size;
    }

    @Override
    public void accept(RemoteFile f) {
      current.addEntries(RemoteEntry.newBuilder().setName(f.name()).setSize(f.size())
          .setModifiedMillis(f.modifiedMillis()).setDirectory(f.directory()).setSymlink(f.symlink()));
      entries++;
      if (current.getEntriesCount() >= size) flush();
    }

    void flush() {
      if (current.getEntriesCount() == 0) return;
      ListingPage p = current.setCorrelationId(id).setPage(page).build();
      try {
        if (!pages.sendListingPage(p)) throw new LinkLost("the master link is down");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LinkLost("interrupted");
      }
      page++;
      current = ListingPage.newBuilder();
    }
  }

  /** Listings and deletes accepted and not finished. */
  public java.util.List<String> runningCorrelationIds() {
    return java.util.List.copyOf(running.keySet());
  }

  @Override
  public void close() {
    running.values().forEach(RemoteListingExecutor::abort);
    pool.shutdownNow();
  }
}
