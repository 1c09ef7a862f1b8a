package org.ecpds.master.grpc;

import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import org.ecpds.master.service.Names;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.movers.MoverSession;
import org.ecpds.master.movers.RemoteListings;
import org.ecpds.master.scheduler.RetrievalScheduler;
import org.ecpds.master.scheduler.TransferScheduler;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.PurgeService;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.MoverControlGrpc;
import org.ecpds.proto.MoverMessage;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;
import org.ecpds.proto.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The master's end of each mover's control stream: a thin translator to the registry, scheduler and data files. */
public final class MoverControlService extends MoverControlGrpc.MoverControlImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(MoverControlService.class);
  private final MoverRegistry registry;
  private final TransferScheduler scheduler;
  private final DataFileService dataFiles;
  private final long graceMillis;
  private final int heartbeatSeconds;
  private final PurgeService purge;
  private final RetrievalScheduler retrievals;
  private final RemoteListings listings;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ecpds-mover-grace");
    t.setDaemon(true);
    return t;
  });

  /** Orphan checks read the database (a query per 1,000 ids): off the stream's thread, so the mover's results do not wait. */
  private final java.util.concurrent.ExecutorService orphanChecks = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ecpds-orphan-check");
    t.setDaemon(true);
    return t;
  });

  public MoverControlService(MoverRegistry registry, TransferScheduler scheduler, DataFileService dataFiles,
      long graceMillis, int heartbeatSeconds, PurgeService purge, RetrievalScheduler retrievals,
      RemoteListings listings) {
    this.purge = purge;
    this.retrievals = retrievals;
    this.listings = listings;
    this.registry = registry;
    this.scheduler = scheduler;
    this.dataFiles = dataFiles;
    this.graceMillis = graceMillis;
    this.heartbeatSeconds = heartbeatSeconds;
  }

  @Override
  public StreamObserver<MoverMessage> connect(StreamObserver<MasterMessage> out) {
    return new StreamObserver<>() {
      private volatile MoverSession session;

      @Override
      public void onNext(MoverMessage m) {
        if (session == null && !m.hasHello()) {
          out.onError(io.grpc.Status.FAILED_PRECONDITION.withDescription("first message must be hello").asRuntimeException());
          return;
        }
        switch (m.getKindCase()) {
          case HELLO -> {
            try {
              Names.check("mover", m.getHello().getMoverName());
            } catch (IllegalArgumentException e) {
              out.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
              return;
            }
            MoverRegistry.Connected c = registry.connect(m.getHello(), out);
            session = c.session();
            LOG.info("mover {} online (id {})", session.name(), session.moverId());
            session.send(MasterMessage.newBuilder().setWelcome(Welcome.newBuilder().setMoverId(c.moverId())
                .setHeartbeatSeconds(heartbeatSeconds)).build());
            scheduler.moverOnline(c.moverId(), c.session().epoch(),
                new HashSet<>(m.getHello().getRunningCorrelationIdsList()));
            retrievals.moverOnline(c.moverId(), c.session().epoch(),
                new HashSet<>(m.getHello().getRunningCorrelationIdsList()));
            deleteOrphans(session, m.getHello().getHeldDataFileIdsList());
          }
          case HEARTBEAT -> registry.heartbeat(session.moverId(), m.getHeartbeat());
          case RESULT -> {
            InstructionResult r = m.getResult();
            if (!listings.result(r) && !retrievals.result(session.moverId(), r)) scheduler.result(session.moverId(), r);
          }
          case LISTING_PAGE -> listings.page(session.moverId(), m.getListingPage());
          case PROGRESS -> scheduler.progress(m.getProgress().getCorrelationId(), m.getProgress().getBytes());
          case STORED -> onStored(session, m.getStored());
          case HELD -> deleteOrphans(session, m.getHeld().getDataFileIdsList());
          default -> { }
        }
      }

      @Override
      public void onError(Throwable t) {
        lost(session, t.toString(), false);
      }

      @Override
      public void onCompleted() {
        // a mover completes its stream only when it shuts down (MasterLink.close): expected, not a warning
        lost(session, "the mover is shutting down", true);
        try {
          out.onCompleted();
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
    };
  }

  /**
   * Arrival of a stored file. The ack tells a refusal for good (unknown data file, other content,
   * held elsewhere: the mover deletes it) from a passing failure (the mover keeps it and reports it
   * again); once the arrival is committed the answer is ok whatever happens next.
   */
  private void onStored(MoverSession session, Stored s) {
    StoredAck.Builder ack = StoredAck.newBuilder().setCorrelationId(s.getCorrelationId())
        .setDataFileId(s.getDataFileId());
    DataFileService.Arrival a;
    try {
      a = dataFiles.stored(session.moverId(), s.getDataFileId(), s.getSize(), s.getSha256(), s.getVolume());
    } catch (NotFoundException | ConflictException | IllegalArgumentException e) {
      session.send(MasterMessage.newBuilder().setStoredAck(ack.setOk(false).setRefused(true)
          .setMessage(String.valueOf(e.getMessage()))).build());
      return;
    } catch (RuntimeException e) {
      LOG.warn("arrival of data file {} from mover {} failed: {}", s.getDataFileId(), session.name(), e.toString());
      session.send(MasterMessage.newBuilder().setStoredAck(ack.setOk(false)
          .setMessage("cannot record the arrival now: " + e.getMessage())).build());
      return;
    }
    if (!a.repeat()) {
      try {
        // a portal upload replaces older files of its name before the portal hears it is stored
        dataFiles.arrivalCommitted(a);
      } catch (RuntimeException e) {
        LOG.warn("after the arrival of data file {}: {}", s.getDataFileId(), e.toString());
      }
    }
    session.send(MasterMessage.newBuilder().setStoredAck(ack.setOk(true)).build());
    try {
      scheduler.arrived(a.transfers(), a.file());
    } catch (RuntimeException e) {
      LOG.error("transfers of data file {} committed but not queued: {}", s.getDataFileId(), e.toString());
    }
  }

  /** Content the master no longer knows (purged while the mover was away) is deleted on the mover. */
  private void deleteOrphans(MoverSession session, java.util.List<Long> held) {
    if (held.isEmpty()) return;
    try {
      orphanChecks.execute(() -> {
        try {
          for (long id : purge.unknownIds(held)) {
            session.send(org.ecpds.master.movers.Instructions.deleteDataFile(id));
          }
        } catch (RuntimeException e) {
          // the content stays; the mover reports it again after its next hello
          LOG.warn("cannot check the data files mover {} holds: {}", session.name(), e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** After a grace period without a new session, the mover is offline and its transfers are interrupted. */
  private void lost(MoverSession session, String why, boolean stoppedByItself) {
    if (session == null) return;
    session.streamEnded(); // no new work goes to it during the grace: a send would fail and count as a requeue
    listings.streamLost(session); // the rest of a listing's pages went with the stream
    if (stoppedByItself) LOG.info("mover {} disconnected: {}", session.name(), why);
    else LOG.warn("control stream of mover {} lost: {}", session.name(), why);
    timers.schedule(() -> {
      if (registry.disconnect(session)) {
        if (stoppedByItself) LOG.info("mover {} offline", session.name());
        else LOG.warn("mover {} offline", session.name());
        scheduler.moverLost(session.moverId());
        retrievals.moverLost(session.moverId());
      }
    }, graceMillis, TimeUnit.MILLISECONDS);
  }

  public void close() {
    orphanChecks.shutdownNow();
    timers.shutdownNow();
  }
}
