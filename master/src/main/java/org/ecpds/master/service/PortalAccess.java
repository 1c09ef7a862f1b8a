package org.ecpds.master.service;

import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ecpds.common.config.Config;
import org.ecpds.common.portal.PortalRights;
import org.ecpds.common.portal.PortalRights.Right;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.Json;
import org.ecpds.master.db.UserDao;
import org.ecpds.master.domain.AlreadyExistsException;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.ForbiddenException;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.domain.PortalLimits;
import org.ecpds.master.domain.PreconditionException;
import org.ecpds.master.domain.TransferLifecycle;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.rules.Options;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PathRule;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's rules on the master, for every PortalService call: who may do what where (through
 * {@link PortalRights}, the same rule the movers' portals apply), what a destination looks like to a
 * portal user, and what their uploads, deletes, directories and renames change. Status changes go
 * through the lifecycle and the transfer store; transfers the scheduler holds change on its thread.
 */
public final class PortalAccess {
  private static final Logger LOG = LoggerFactory.getLogger(PortalAccess.class);
  static final String DEFAULT_TMP_PATTERN = "(^\\.)|(\\.tmp$)";

  private final Database db;
  private final UserService users;
  private final TransferStore store;
  private final DestinationService destinations;
  private final DataFileService dataFiles;
  private final MoverRegistry movers;
  private final PortalTransfers transfers;
  private final Clock clock;
  private final Defaults defaults;
  private final PortalQuotas quotas;

  /**
   * The master's incoming.* defaults (config keys master.incoming.standby, .priority, .lifetime,
   * .delay, .tmpDetect, .tmpPattern, .event); a destination's Properties override each one.
   */
  public record Defaults(boolean standby, int priority, String lifetime, String delay, boolean tmpDetect,
      String tmpPattern, boolean event) {
    public static final Defaults OPENECPDS = new Defaults(false, 99, "2d", "0s", true, DEFAULT_TMP_PATTERN, false);

    public static Defaults from(Config c) {
      Defaults d = new Defaults(c.getBoolean("master.incoming.standby", false),
          c.getInt("master.incoming.priority", 99, 0, 99), c.get("master.incoming.lifetime", "2d"),
          c.get("master.incoming.delay", "0s"), c.getBoolean("master.incoming.tmpDetect", true),
          c.get("master.incoming.tmpPattern", DEFAULT_TMP_PATTERN), c.getBoolean("master.incoming.event", false));
      Pattern.compile(d.tmpPattern()); // a bad pattern stops the master at start, not an upload later
      return d;
    }
  }

  public PortalAccess(Database db, UserService users, TransferStore store, DestinationService destinations,
      DataFileService dataFiles, MoverRegistry movers, PortalTransfers transfers, Clock clock, Defaults defaults,
      PortalQuotas quotas) {
    this.db = db;
    this.users = users;
    this.store = store;
    this.destinations = destinations;
    this.dataFiles = dataFiles;
    this.movers = movers;
    this.transfers = transfers;
    this.clock = clock;
    this.defaults = defaults;
    this.quotas = quotas;
    dataFiles.onPortalArrival(this::replaceOlder);
  }

  // ---------------------------------------------------------------- login

  public Optional<List<DestinationAccess>> authenticate(String user, String password) {
    return users.authenticateIncoming(user, password).map(u -> accesses(u.id()));
  }

  public Optional<List<DestinationAccess>> authenticateKey(String user, String publicKey) {
    return users.authenticateIncomingKey(user, publicKey).map(u -> accesses(u.id()));
  }

  /** An S3 access key's user, its secret and its grants; empty for an unknown key or a disabled user. */
  public Optional<S3Login> s3Credentials(S3KeyService keys, String accessKeyId) {
    return keys.credential(accessKeyId).map(c -> new S3Login(c.user().name(), c.secretKey(), accesses(c.user().id())));
  }

  /** The portal limits that come with a login: sessions allowed and which quotas the portal must ask about. */
  public org.ecpds.proto.UserLimits limits(String user) {
    return users.findIncoming(user).map(u -> {
      PortalLimits l = quotas.limits(u.id());
      return org.ecpds.proto.UserLimits.newBuilder().setMaxConnections(l.maxConnections())
          .setUploadQuota(l.uploadQuota()).setDownloadQuota(l.downloadQuota()).build();
    }).orElse(org.ecpds.proto.UserLimits.getDefaultInstance());
  }

  /** What is left of the user's quotas now (-1: none), for the portal to refuse before any byte moves. */
  public PortalQuotas.Usage quota(String user) {
    return quotas.usage(enabledUser(user).id());
  }

  /** A download about to start: refused when the user's download quota cannot take it. */
  public void requireDownload(String user, String path, long bytes) {
    IncomingUser u = enabledUser(user);
    quotas.requireDownload(u.id(), u.name(), bytes, path.isEmpty() ? "a download" : path);
  }

  public record S3Login(String user, String secretKey, List<DestinationAccess> destinations) {}

  private List<DestinationAccess> accesses(long userId) {
    return users.permissions(userId).stream().map(PortalAccess::access).toList();
  }

  /** A permission as the portals receive it: every flag and every path rule. */
  public static DestinationAccess access(Permission p) {
    Permission.Rights r = p.rights();
    DestinationAccess.Builder b = DestinationAccess.newBuilder().setDestination(p.destination()).setGet(r.get())
        .setPut(r.put()).setDelete(r.delete()).setDir(r.dir()).setMkdir(r.mkdir()).setRmdir(r.rmdir())
        .setRename(r.rename()).setSize(r.size()).setMtime(r.mtime());
    r.rules().forEach(x -> b.addPathRules(PathRule.newBuilder().setPermission(x.permission()).setRegex(x.regex())));
    return b.build();
  }

  // ---------------------------------------------------------------- listing and downloads

  /** A file as the portal lists it: the newest available transfer per target name. */
  public record Entry(String name, long size, long modifiedMs, long dataFileId, long transferId, String status,
      long moverId, String metadataJson) {

    /** The data file's metadata; most files have none, so the JSON is only parsed when there is some. */
    public Map<String, String> metadata() {
      return metadataJson == null || metadataJson.equals("{}") ? Map.of() : Json.read(metadataJson);
    }
  }

  public List<Entry> list(String user, String destination) {
    IncomingUser u = users.incoming(user);
    boolean allowed = users.permissions(u.id()).stream()
        .anyMatch(p -> p.destination().equals(destination) && (p.canDir() || p.canGet()));
    if (!allowed) throw new ForbiddenException("user " + user + " may not list " + destination);
    Map<String, Entry> newest = new LinkedHashMap<>();
    for (Entry e : visible(destinations.get(destination).id())) newest.put(e.name(), e);
    return new ArrayList<>(newest.values());
  }

  /** Directories made through the portal in the destination (the caller checked the listing right). */
  public List<String> directories(String destination) {
    return new ArrayList<>(directoryRows(destinations.get(destination).id()).keySet());
  }

  /** Download reports already counted in a quota, by report id: the portal re-sends a report it got no answer for. */
  private final java.util.Set<String> countedReports = java.util.Collections.synchronizedSet(
      java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > 100_000; // re-sends come within minutes; far more reports than that are forgotten first
        }
      }));

  /** Counts a report's bytes in the user's download quota, once per report id (an empty id: every time). */
  private void countDownload(String user, long bytes, String reportId) {
    if (reportId != null && !reportId.isEmpty() && !countedReports.add(reportId)) return;
    users.findIncoming(user).ifPresent(u -> quotas.downloaded(u.id(), bytes));
  }

  /** A complete download of a StandBy transfer marks it Done (one transaction with its history row). */
  public String downloaded(String user, long transferId, String protocol, long bytes, String reportId) {
    String status = db.jdbi().inTransaction(h -> {
      var t = h.attach(org.ecpds.master.db.TransferDao.class).lockById(transferId)
          .orElseThrow(() -> new NotFoundException("transfer " + transferId + " not found"));
      if (t.statusCode() != TransferStatus.HOLD) return t.status();
      return store.apply(h, transferId, new TransferStore.Change(TransferStatus.HOLD, TransferStatus.DONE,
          x -> x.finished(bytes, 0, clock.millis()),
          "downloaded by " + user + " over " + protocol, user)).status();
    });
    countDownload(user, bytes, reportId); // every complete download counts, each report once
    return status;
  }

  /** Part of a file went out (ranges, an interrupted read): it counts in the download quota; the transfer stays as it is. */
  public String downloadedPart(String user, long transferId, long bytes, String reportId) {
    if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative");
    countDownload(user, bytes, reportId);
    return db.jdbi().withHandle(h -> h.attach(org.ecpds.master.db.TransferDao.class).byId(transferId))
        .orElseThrow(() -> new NotFoundException("transfer " + transferId + " not found")).status();
  }

  // ---------------------------------------------------------------- changes

  /**
   * Registers an upload as a push does, allocated to the mover that will store it. A temporary name
   * (incoming.tmpDetect/tmpPattern) is registered StandBy until renamed to a final one.
   */
  public long registerUpload(String user, String destination, String path, long size, String protocol,
      String moverName, Map<String, String> metadata) {
    Who who = who(user, destination);
    checkPath(path, "data_file", "target");
    require(who, Right.PUT, path);
    Tree tree = tree(who.destination().id());
    if (tree.isDir(path)) throw new PreconditionException(path + " is a directory");
    tree.requireNoFileAbove(path);
    long moverId = movers.onlineId(moverName)
        .orElseThrow(() -> new ServiceUnavailableException("mover " + moverName + " is not connected to the master"));
    Upload o = upload(who.destination());
    boolean standby = o.standby() || o.temporary(path);
    DataFileService.Registration r = new DataFileService.Registration(destination, path, path, o.priority(),
        o.lifetime(), metadata, size < 0 ? null : size, standby, null, o.delay(), null, o.event());
    return quotas.upload(who.user().id(), who.user().name(), size, "/" + destination + "/" + path,
        () -> dataFiles.registerPortalUpload(new UserService.Principal(who.user().name(), false, who.user().id()), r,
            moverId, protocol));
  }

  /** A portal user's delete stops the file's transfers in the destination (history: who and how); it is no longer listed. */
  public void delete(String user, String destination, String path, String protocol) {
    Who who = who(user, destination);
    checkPath(path, "data_file", "target");
    require(who, Right.DELETE, path);
    Tree tree = tree(who.destination().id());
    List<Long> ids = tree.visible.stream().filter(e -> e.name().equals(path)).map(Entry::transferId).toList();
    List<Long> pending = tree.pending.entrySet().stream().filter(e -> e.getValue().equals(path)).map(Map.Entry::getKey)
        .toList();
    if (ids.isEmpty() && pending.isEmpty()) {
      if (tree.isDir(path)) throw new PreconditionException(path + " is a directory");
      throw new NotFoundException(path + " not found in " + destination);
    }
    abandon(pending);
    transfers.stop(ids, "deleted by " + user + " over " + protocol, user);
  }

  public void makeDirectory(String user, String destination, String path, String protocol) {
    Who who = who(user, destination);
    checkPath(path, "portal_directory", "path");
    require(who, Right.MKDIR, path);
    Tree tree = tree(who.destination().id());
    if (tree.isFile(path) || tree.isDir(path)) throw new AlreadyExistsException(path + " already exists");
    tree.requireNoFileAbove(path);
    try {
      db.jdbi().useHandle(h -> h.createUpdate(
          "INSERT INTO portal_directory (destination_id, path, created_ms) VALUES (:d, :p, :now)")
          .bind("d", who.destination().id()).bind("p", path).bind("now", clock.millis()).execute());
    } catch (UnableToExecuteStatementException e) {
      if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
        throw new AlreadyExistsException(path + " already exists");
      }
      throw e;
    }
    LOG.debug("directory {} made in {} by {} over {}", path, destination, user, protocol);
  }

  /** Removes an empty directory; one with files or directories below is refused. */
  public void removeDirectory(String user, String destination, String path, String protocol) {
    Who who = who(user, destination);
    checkPath(path, "portal_directory", "path");
    require(who, Right.RMDIR, path);
    Tree tree = tree(who.destination().id());
    if (tree.isFile(path)) throw new PreconditionException(path + " is not a directory");
    if (!tree.isDir(path)) throw new NotFoundException(path + " not found in " + destination);
    if (tree.hasChildren(path)) throw new PreconditionException("directory " + path + " is not empty");
    db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM portal_directory WHERE id = :id")
        .bind("id", tree.dirs.get(path)).execute());
    LOG.debug("directory {} removed from {} by {} over {}", path, destination, user, protocol);
  }

  /**
   * Renames a file (its transfers' target, one history row each; a file of the new name is
   * replaced) or a directory (every file and directory below). Renaming a temporary name to a final
   * one releases the upload from StandBy as incoming.tmpDetect says.
   */
  public void rename(String user, String destination, String from, String to, String protocol) {
    Who who = who(user, destination);
    checkPath(from, "data_file", "target");
    checkPath(to, "data_file", "target");
    require(who, Right.RENAME, from);
    require(who, Right.RENAME, to);
    if (from.equals(to)) return;
    if (to.startsWith(from + "/")) throw new IllegalArgumentException("cannot move " + from + " into itself");
    long destId = who.destination().id();
    Tree tree = tree(destId);
    tree.requireNoFileAbove(to);
    String comment = "renamed from " + from + " to " + to + " by " + user + " over " + protocol;
    Map<Long, String> moved = new LinkedHashMap<>();       // transfer id -> new target
    Map<Long, String> movedPending = new LinkedHashMap<>(); // data file id -> new target
    Map<Long, String> movedDirs = new LinkedHashMap<>();    // directory row id -> new path
    List<Long> replaced = List.of();
    Upload o = upload(who.destination());
    boolean release = false;
    boolean fileRename = tree.isFile(from);
    if (fileRename) {
      if (tree.isDir(to)) throw new AlreadyExistsException(to + " is a directory");
      replaced = tree.visible.stream().filter(e -> e.name().equals(to)).map(Entry::transferId).toList();
      tree.visible.stream().filter(e -> e.name().equals(from)).forEach(e -> moved.put(e.transferId(), to));
      tree.pending.forEach((id, target) -> {
        if (target.equals(from)) movedPending.put(id, to);
      });
      release = o.temporary(from) && !o.temporary(to) && !o.standby();
    } else if (tree.isDir(from)) {
      if (tree.isFile(to) || tree.isDir(to)) throw new AlreadyExistsException(to + " already exists");
      String below = from + "/";
      for (Entry e : tree.visible) if (e.name().startsWith(below)) moved.put(e.transferId(), to + e.name().substring(from.length()));
      tree.pending.forEach((id, target) -> {
        if (target.startsWith(below)) movedPending.put(id, to + target.substring(from.length()));
      });
      tree.dirs.forEach((path, id) -> {
        if (path.equals(from) || path.startsWith(below)) movedDirs.put(id, to + path.substring(from.length()));
      });
      for (String p : movedDirs.values()) db.limits().check("path", p, "portal_directory", "path");
    } else {
      throw new NotFoundException(from + " not found in " + destination);
    }
    for (String t : moved.values()) db.limits().check("target", t, "data_transfer", "target");
    transfers.stop(replaced, "replaced by " + comment, user);
    Map<Long, Long> fileOf = new HashMap<>();
    tree.visible.forEach(e -> fileOf.put(e.transferId(), e.dataFileId()));
    String fromName = from;
    boolean pendingStandby = o.standby() || o.temporary(to);
    db.jdbi().useTransaction(h -> {
      for (Map.Entry<Long, String> m : moved.entrySet()) {
        String old = tree.nameOf(m.getKey());
        h.createUpdate("UPDATE data_transfer SET target = :t WHERE id = :id").bind("t", m.getValue())
            .bind("id", m.getKey()).execute();
        // the data file keeps the name it has in its own destination (aliases have theirs)
        h.createUpdate("UPDATE data_file SET target = :t WHERE id = :f AND destination_id = :d AND target = :old")
            .bind("t", m.getValue()).bind("f", fileOf.get(m.getKey())).bind("d", destId).bind("old", old).execute();
        store.recordEdit(h, m.getKey(), m.getValue().equals(to) ? comment
            : "renamed from " + old + " to " + m.getValue() + " (directory " + fromName + " renamed by " + user + ")", user);
      }
      for (Map.Entry<Long, String> m : movedPending.entrySet()) {
        // an upload not stored yet: its transfers will be created under the new name
        if (fileRename) {
          h.createUpdate("UPDATE data_file SET target = :t, standby = :s WHERE id = :id").bind("t", m.getValue())
              .bind("s", pendingStandby).bind("id", m.getKey()).execute();
        } else {
          h.createUpdate("UPDATE data_file SET target = :t WHERE id = :id").bind("t", m.getValue())
              .bind("id", m.getKey()).execute();
        }
      }
      for (Map.Entry<Long, String> m : movedDirs.entrySet()) {
        h.createUpdate("UPDATE portal_directory SET path = :p WHERE id = :id").bind("p", m.getValue())
            .bind("id", m.getKey()).execute();
      }
    });
    transfers.retargeted(moved);
    if (release) {
      transfers.release(new ArrayList<>(moved.keySet()), "released: " + comment + " (incoming.tmpDetect)", user);
    }
  }

  /** A portal upload arrived: older files of the same name in each of its destinations are replaced. */
  void replaceOlder(DataFileService.Arrival a) {
    try {
      Map<Long, List<Entry>> byDestination = new HashMap<>();
      for (DataTransfer t : a.transfers()) {
        List<Entry> visible = byDestination.computeIfAbsent(t.destinationId(), this::visible);
        List<Long> older = visible.stream().filter(e -> e.name().equals(t.target()) && e.transferId() < t.id()
            && e.dataFileId() != t.dataFileId()).map(Entry::transferId).toList();
        transfers.stop(older, "replaced by data file " + t.dataFileId() + " uploaded over " + a.portalProtocol(), "");
      }
    } catch (RuntimeException e) {
      // the new file is stored and listed first; an older one left visible is not worth failing for
      LOG.warn("older files replaced by data file {} could not all be stopped: {}", a.file().id(), e.toString());
    }
  }

  // ---------------------------------------------------------------- rules

  /** The user, the destination and the rights; anything unknown or not granted is a refusal (no probing). */
  private record Who(IncomingUser user, Destination destination, DestinationAccess access) {}

  private IncomingUser enabledUser(String user) {
    Optional<IncomingUser> u = user == null || user.isEmpty() ? Optional.empty()
        : db.jdbi().withExtension(UserDao.class, dao -> dao.incomingByName(user));
    if (u.isEmpty() || !u.get().enabled()) throw new ForbiddenException("user " + user + " may not use the portal");
    return u.get();
  }

  private Who who(String user, String destination) {
    Optional<IncomingUser> u = user == null || user.isEmpty() ? Optional.empty()
        : db.jdbi().withExtension(UserDao.class, dao -> dao.incomingByName(user));
    if (u.isEmpty() || !u.get().enabled()) throw new ForbiddenException("user " + user + " may not use the portal");
    Permission p = users.permissions(u.get().id()).stream().filter(x -> x.destination().equals(destination)).findFirst()
        .orElseThrow(() -> new ForbiddenException("user " + user + " has no access to " + destination));
    return new Who(u.get(), destinations.get(p.destinationId()), access(p));
  }

  private static void require(Who who, Right right, String path) {
    if (!PortalRights.allows(who.access(), right, path)) {
      throw new ForbiddenException("user " + who.user().name() + " may not " + right.wireName() + " " + path + " in "
          + who.destination().name());
    }
  }

  private void checkPath(String path, String table, String column) {
    DataFileService.checkTarget(path);
    db.limits().check("path", path, table, column);
  }

  /** The incoming.* options that apply to an upload into the destination. */
  private record Upload(boolean standby, int priority, String lifetime, String delay, Pattern tmp, boolean event) {
    boolean temporary(String path) {
      return tmp != null && tmp.matcher(path.substring(path.lastIndexOf('/') + 1)).find();
    }
  }

  private Upload upload(Destination d) {
    Options o = d.properties() == null || d.properties().isBlank() ? Options.EMPTY : Options.parse(d.properties());
    Pattern tmp = null;
    if (o.bool("incoming.tmpDetect", defaults.tmpDetect())) {
      String text = o.string("incoming.tmpPattern", defaults.tmpPattern());
      try {
        tmp = Pattern.compile(text);
      } catch (PatternSyntaxException e) {
        LOG.warn("destination {}: invalid incoming.tmpPattern '{}', using {}", d.name(), text, defaults.tmpPattern());
        tmp = Pattern.compile(defaults.tmpPattern());
      }
    }
    return new Upload(o.bool("incoming.standby", defaults.standby()),
        o.integer("incoming.priority", 0, 99, defaults.priority()), o.string("incoming.lifetime", defaults.lifetime()),
        o.string("incoming.delay", defaults.delay()), tmp, o.bool("incoming.event", defaults.event()));
  }

  // ---------------------------------------------------------------- the destination as the portal sees it

  /** Visible transfers (arrived, not expired, a portal-visible status), oldest first. */
  private List<Entry> visible(long destinationId) {
    return db.jdbi().withHandle(h -> h.createQuery(
        "SELECT t.target, f.size, f.arrived_ms, f.id AS file_id, t.id AS transfer_id, t.status, f.mover_id, "
            + "f.metadata_json "
            + "FROM data_transfer t JOIN data_file f ON f.id = t.data_file_id "
            + "WHERE t.destination_id = :d AND f.arrived = TRUE AND f.expiry_ms > :now AND t.status IN (<visible>) "
            + "ORDER BY t.id")
        .bindList("visible", TransferLifecycle.portalVisible().stream().map(Enum::name).toList())
        .bind("d", destinationId).bind("now", clock.millis())
        .map((rs, ctx) -> new Entry(rs.getString("target"), rs.getLong("size"), rs.getLong("arrived_ms"),
            rs.getLong("file_id"), rs.getLong("transfer_id"), rs.getString("status"), rs.getLong("mover_id"),
            rs.getString("metadata_json")))
        .list());
  }

  private Map<String, Long> directoryRows(long destinationId) {
    Map<String, Long> dirs = new java.util.TreeMap<>();
    db.jdbi().useHandle(h -> h.createQuery("SELECT id, path FROM portal_directory WHERE destination_id = :d")
        .bind("d", destinationId).map((rs, ctx) -> Map.entry(rs.getString("path"), rs.getLong("id")))
        .forEach(e -> dirs.put(e.getKey(), e.getValue())));
    return dirs;
  }

  /** Portal uploads registered and not stored yet (still within the upload window): data file id -> target. */
  private Map<Long, String> pendingUploads(long destinationId) {
    Map<Long, String> out = new LinkedHashMap<>();
    long now = clock.millis();
    db.jdbi().useHandle(h -> h.createQuery("SELECT id, target FROM data_file WHERE destination_id = :d "
            + "AND arrived = FALSE AND portal_protocol <> '' AND expiry_ms > :now AND created_ms > :since ORDER BY id")
        .bind("d", destinationId).bind("now", now).bind("since", now - DataFileService.UPLOAD_WINDOW.toMillis())
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("target")))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** An upload deleted before it was stored: it expires now, so its arrival creates nothing visible and the purge removes it. */
  private void abandon(List<Long> dataFileIds) {
    if (dataFileIds.isEmpty()) return;
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE data_file SET expiry_ms = :now WHERE id IN (<ids>)")
        .bind("now", clock.millis()).bindList("ids", dataFileIds).execute());
  }

  private Tree tree(long destinationId) {
    return new Tree(visible(destinationId), pendingUploads(destinationId), directoryRows(destinationId));
  }

  /**
   * One destination's names, compared in Java so that names are case-sensitive whatever the
   * database's collation. Directories exist explicitly (made through the portal) or implicitly
   * (a file or directory below).
   */
  private record Tree(List<Entry> visible, Map<Long, String> pending, Map<String, Long> dirs) {
    boolean isFile(String path) {
      return visible.stream().anyMatch(e -> e.name().equals(path)) || pending.containsValue(path);
    }

    boolean isDir(String path) {
      return dirs.containsKey(path) || hasChildren(path);
    }

    boolean hasChildren(String path) {
      String below = path + "/";
      return visible.stream().anyMatch(e -> e.name().startsWith(below))
          || pending.values().stream().anyMatch(t -> t.startsWith(below))
          || dirs.keySet().stream().anyMatch(d -> d.startsWith(below));
    }

    void requireNoFileAbove(String path) {
      for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        if (isFile(path.substring(0, i))) throw new PreconditionException(path.substring(0, i) + " is not a directory");
      }
    }

    String nameOf(long transferId) {
      return visible.stream().filter(e -> e.transferId() == transferId).map(Entry::name).findFirst().orElseThrow();
    }
  }
}
