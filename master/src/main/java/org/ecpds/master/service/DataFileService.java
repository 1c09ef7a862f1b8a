package org.ecpds.master.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.config.Durations;
import org.ecpds.master.db.DataFileDao;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.DestinationDao;
import org.ecpds.master.db.HostDao;
import org.ecpds.master.db.Json;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.service.UserService.Principal;

/**
 * Data file registration (the CLI's sync push) and arrival: a file is registered, its content is
 * uploaded to the allocated mover, and only when the mover reports it durably stored are its
 * transfers created, for the destination and every alias, in one transaction.
 */
public final class DataFileService {
  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(2);
  public static final Duration UPLOAD_WINDOW = Duration.ofHours(1);

  private final Database db;
  private final DestinationService destinations;
  private final UserService users;
  private final MoverRegistry movers;
  private final UploadTokens tokens;
  private final TransferStore store;

  public DataFileService(Database db, DestinationService destinations, UserService users, MoverRegistry movers,
      UploadTokens tokens, TransferStore store) {
    this.db = db;
    this.destinations = destinations;
    this.users = users;
    this.movers = movers;
    this.tokens = tokens;
    this.store = store;
  }

  public record Registration(String destination, String source, String target, Integer priority, String lifetime,
      Map<String, String> metadata, Long size, Boolean standby) {}

  public record Allocation(long dataFileId, String moverName, String uploadUrl, String token, String uploadCertPem,
      long expiresMs) {}

  /** What a stored report produced: the new transfers and the destinations whose queues changed. */
  public record Arrival(List<Long> transferIds, Set<Long> destinationIds) {}

  public Allocation register(Principal who, Registration r) {
    if (r.destination() == null || r.destination().isBlank()) throw new IllegalArgumentException("destination is required");
    users.requirePut(who, r.destination());
    Destination d = destinations.get(r.destination());
    String target = checkTarget(r.target() != null && !r.target().isBlank() ? r.target() : baseName(r.source()));
    int priority = r.priority() == null ? 99 : r.priority();
    DestinationService.checkPriority(priority);
    Duration lifetime = r.lifetime() == null || r.lifetime().isBlank() ? DEFAULT_LIFETIME : Durations.parse(r.lifetime());
    if (lifetime.isZero() || lifetime.isNegative()) throw new IllegalArgumentException("lifetime must be positive");
    if (r.size() != null && r.size() < 0) throw new IllegalArgumentException("size must be >= 0");
    MoverRegistry.Target mover = movers.pickForUpload()
        .orElseThrow(() -> new ServiceUnavailableException("no data mover is online to receive the file"));
    long now = System.currentTimeMillis();
    DataFile f = new DataFile(0, d.id(), r.source() == null ? target : r.source(), target,
        r.size() == null ? -1 : r.size(), "", false, 0, mover.moverId(), "", Json.write(r.metadata()), priority,
        Boolean.TRUE.equals(r.standby()), who.name(), now, now + lifetime.toMillis());
    long id = db.jdbi().withExtension(DataFileDao.class, dao -> dao.insert(f));
    long expires = now + UPLOAD_WINDOW.toMillis();
    return new Allocation(id, mover.name(), mover.uploadUrl() + "/upload/" + id, tokens.issue(id, expires),
        mover.certificatePem(), expires);
  }

  /** The mover reports the content durably stored: mark arrived and create the transfers atomically. */
  public Arrival stored(long moverId, long dataFileId, long size, String sha256, String volume) {
    return db.jdbi().inTransaction(h -> {
      DataFileDao files = h.attach(DataFileDao.class);
      DataFile f = files.byId(dataFileId).orElseThrow(() -> new NotFoundException("data file " + dataFileId + " not found"));
      if (f.size() >= 0 && f.size() != size) {
        throw new ConflictException("data file " + dataFileId + " announced " + f.size() + " bytes but " + size + " arrived");
      }
      if (files.markArrived(dataFileId, moverId, size, sha256, volume, System.currentTimeMillis()) != 1) {
        throw new ConflictException("data file " + dataFileId + " was already stored or belongs to another mover");
      }
      DestinationDao dests = h.attach(DestinationDao.class);
      HostDao hosts = h.attach(HostDao.class);
      TransferDao transfers = h.attach(TransferDao.class);
      List<Long> ids = new ArrayList<>();
      Set<Long> destinationIds = new HashSet<>();
      for (long destId : withAliases(dests, f.destinationId())) {
        boolean hasHosts = hosts.hostsOf(destId).stream().anyMatch(x -> Host.DISSEMINATION.equals(x.type()));
        TransferStatus initial = f.standby() || !hasHosts ? TransferStatus.HOLD : TransferStatus.WAIT;
        long now = System.currentTimeMillis();
        long tid = transfers.insert(dataFileId, destId, f.target(), initial.name(), f.priority(), now, f.expiryMs());
        store.recordCreated(h, tid, initial, destId == f.destinationId() ? "stored by " + f.caller()
            : "alias of " + dests.byId(f.destinationId()).map(Destination::name).orElse("?"), f.caller());
        ids.add(tid);
        destinationIds.add(destId);
      }
      return new Arrival(ids, destinationIds);
    });
  }

  public DataFile get(long id) {
    return db.jdbi().withExtension(DataFileDao.class, dao -> dao.byId(id))
        .orElseThrow(() -> new NotFoundException("data file " + id + " not found"));
  }

  /** The destination plus its aliases, recursively, each once. */
  private static List<Long> withAliases(DestinationDao dests, long start) {
    List<Long> out = new ArrayList<>();
    ArrayList<Long> todo = new ArrayList<>(List.of(start));
    while (!todo.isEmpty()) {
      long id = todo.remove(0);
      if (out.contains(id)) continue;
      out.add(id);
      todo.addAll(dests.aliasTargets(id));
    }
    return out;
  }

  static String baseName(String source) {
    if (source == null || source.isBlank()) throw new IllegalArgumentException("source or target is required");
    String s = source.replace('\\', '/');
    return s.substring(s.lastIndexOf('/') + 1);
  }

  /** Targets are relative paths without '..' so that no directory template can be escaped. */
  static String checkTarget(String target) {
    if (target == null || target.isBlank()) throw new IllegalArgumentException("target is required");
    if (target.startsWith("/") || target.length() > 1000) throw new IllegalArgumentException("invalid target '" + target + "'");
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals("..") || part.equals(".")) {
        throw new IllegalArgumentException("invalid target '" + target + "'");
      }
    }
    if (target.chars().anyMatch(c -> c < 32)) throw new IllegalArgumentException("target has control characters");
    return target;
  }
}
