package org.ecpds.master.movers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.MoverDao;
import org.ecpds.master.domain.MoverRecord;
import org.ecpds.proto.Hello;
import org.ecpds.proto.Heartbeat;

/** The movers the master knows, which are online, and how busy each is. */
public final class MoverRegistry {
  private final Database db;
  private final Map<Long, Live> live = new ConcurrentHashMap<>();

  public MoverRegistry(Database db) {
    this.db = db;
    db.jdbi().useExtension(MoverDao.class, MoverDao::markAllOffline);
  }

  /** An online mover's state; running is maintained by the scheduler. */
  public static final class Live {
    final MoverSession session;
    final Hello hello;
    volatile Heartbeat lastHeartbeat = Heartbeat.getDefaultInstance();
    volatile long lastSeenMs = System.currentTimeMillis();
    int running;

    Live(MoverSession session, Hello hello) {
      this.session = session;
      this.hello = hello;
    }

    public MoverSession session() {
      return session;
    }
  }

  public record Target(long moverId, String name, String uploadUrl, String certificatePem) {}

  public record View(String name, boolean online, int running, int maxTransfers, double load, long lastSeenMs,
      long freeBytes) {}

  /** Registers a hello; returns the mover id and the session it replaces, if any. */
  public synchronized Connected connect(Hello hello, io.grpc.stub.StreamObserver<org.ecpds.proto.MasterMessage> out) {
    long now = System.currentTimeMillis();
    long id = db.jdbi().withExtension(MoverDao.class, dao -> {
      Optional<MoverRecord> existing = dao.byName(hello.getMoverName());
      if (existing.isPresent()) {
        dao.update(existing.get().id(), true, hello.getUploadUrl(), hello.getMaxTransfers(), now);
        return existing.get().id();
      }
      return dao.insert(hello.getMoverName(), hello.getUploadUrl(), hello.getMaxTransfers(), now);
    });
    MoverSession session = new MoverSession(id, hello.getMoverName(), out);
    Live previous = live.put(id, new Live(session, hello));
    if (previous != null) previous.session.close();
    return new Connected(id, session, previous != null);
  }

  public record Connected(long moverId, MoverSession session, boolean replacedLiveSession) {}

  /** Marks the mover offline if this session is still its current one; true if it was. */
  public synchronized boolean disconnect(MoverSession session) {
    Live l = live.get(session.moverId());
    if (l == null || l.session != session) return false;
    live.remove(session.moverId());
    db.jdbi().useExtension(MoverDao.class, dao -> dao.update(session.moverId(), false, l.hello.getUploadUrl(),
        l.hello.getMaxTransfers(), System.currentTimeMillis()));
    return true;
  }

  public void heartbeat(long moverId, Heartbeat hb) {
    Live l = live.get(moverId);
    if (l != null) {
      l.lastHeartbeat = hb;
      l.lastSeenMs = System.currentTimeMillis();
    }
  }

  public Optional<Live> online(long moverId) {
    return Optional.ofNullable(live.get(moverId));
  }

  /** Scheduler-side accounting (called from the scheduler thread only). */
  /**
   * Whether the mover takes one more transfer when it may hold {@code perSlot} per transfer slot
   * (scheduler.batchSize: the extra ones wait in the mover for a free session).
   */
  public boolean hasCapacity(long moverId, int perSlot) {
    Live l = live.get(moverId);
    if (!takesWork(l)) return false;
    int max = l.hello.getMaxTransfers() <= 0 ? 8 : l.hello.getMaxTransfers();
    return l.running < (long) max * Math.max(1, perSlot);
  }

  public void adjustRunning(long moverId, int delta) {
    Live l = live.get(moverId);
    if (l != null) l.running = Math.max(0, l.running + delta);
  }

  /** Every online mover's id and its max transfers (8 when it announced none), for the retrieval scheduler. */
  public Map<Long, Integer> onlineCapacities() {
    Map<Long, Integer> out = new java.util.TreeMap<>();
    live.forEach((id, l) -> {
      if (takesWork(l)) out.put(id, l.hello.getMaxTransfers() <= 0 ? 8 : l.hello.getMaxTransfers());
    });
    return out;
  }

  /** New instructions go only over a working stream, not to a mover in its grace period after a cut. */
  private static boolean takesWork(Live l) {
    return l != null && !l.session.isClosed();
  }

  /** The least busy online mover with an upload endpoint. */
  public Optional<Target> pickForUpload() {
    return live.entrySet().stream().filter(e -> !e.getValue().hello.getUploadUrl().isEmpty())
        .min(Comparator.comparingInt(e -> e.getValue().running))
        .map(e -> new Target(e.getKey(), e.getValue().hello.getMoverName(), e.getValue().hello.getUploadUrl(),
            e.getValue().hello.getUploadCertPem()));
  }

  /** Where an online mover serves uploads and its peers' reads. */
  public Optional<Target> online(String moverName) {
    return live.entrySet().stream().filter(e -> e.getValue().hello.getMoverName().equals(moverName))
        .filter(e -> !e.getValue().hello.getUploadUrl().isEmpty()).findFirst()
        .map(e -> new Target(e.getKey(), moverName, e.getValue().hello.getUploadUrl(), e.getValue().hello.getUploadCertPem()));
  }

  /** The id of the online mover of that name (a portal registering an upload it will store itself). */
  public Optional<Long> onlineId(String name) {
    return live.entrySet().stream().filter(e -> e.getValue().hello.getMoverName().equals(name)).map(Map.Entry::getKey)
        .findFirst();
  }

  public Optional<String> name(long moverId) {
    Live l = live.get(moverId);
    if (l != null) return Optional.of(l.hello.getMoverName());
    return db.jdbi().withExtension(MoverDao.class, MoverDao::all).stream().filter(m -> m.id() == moverId)
        .map(MoverRecord::name).findFirst();
  }

  public List<View> views() {
    List<View> out = new ArrayList<>();
    for (MoverRecord r : db.jdbi().withExtension(MoverDao.class, MoverDao::all)) {
      Live l = live.get(r.id());
      if (l == null) {
        out.add(new View(r.name(), false, 0, r.maxTransfers(), 0, r.lastSeenMs(), 0));
      } else {
        long free = l.lastHeartbeat.getVolumesList().stream().mapToLong(v -> v.getFreeBytes()).sum();
        if (free == 0) free = l.hello.getVolumesList().stream().mapToLong(v -> v.getFreeBytes()).sum();
        out.add(new View(r.name(), true, l.running, l.hello.getMaxTransfers(), l.lastHeartbeat.getLoad(), l.lastSeenMs,
            free));
      }
    }
    return out;
  }
}
