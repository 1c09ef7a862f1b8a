package org.ecpds.master.service;

import java.util.List;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.DestinationDao;
import org.ecpds.master.db.HostDao;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.HostAssociation;
import org.ecpds.master.domain.NotFoundException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Destinations, their host associations and aliases. */
public final class DestinationService {
  private final Database db;
  private final java.util.function.Supplier<SettingsListener> listener;

  /** The listener (the scheduler) hears every change as an event. */
  public DestinationService(Database db, java.util.function.Supplier<SettingsListener> listener) {
    this.db = db;
    this.listener = listener;
  }

  /** Create/update fields; null keeps the current (or default) value. */
  public record Settings(String comment, Boolean enabled, Integer maxConnections, Integer retryCount,
      Long retryFrequencyMs, Integer maxRequeue, String onHostFailure, Integer maxStart, Long startFrequencyMs,
      Integer maxPending, Long maxFileSize, Long resetFrequencyMs, String ifTargetExists, String deleteFromSpool,
      String properties) {

    public Settings(String comment, Boolean enabled, Integer maxConnections, Integer retryCount, Long retryFrequencyMs,
        Integer maxRequeue, String onHostFailure) {
      this(comment, enabled, maxConnections, retryCount, retryFrequencyMs, maxRequeue, onHostFailure, null, null, null,
          null, null, null, null, null);
    }
  }

  /** Defaults of a new destination (those of the schema, V1 and V3). */
  private static Destination defaults(String name, long now) {
    return new Destination(0, name, "", true, 1, 0, 60_000, 3, Destination.NEXT_AND_RETRY, now, 0, 300_000, 0, 0, 0,
        Destination.OVERWRITE, Destination.ON_EXPIRATION, "", Destination.ACTIVE, "");
  }

  public Destination create(String name, Settings s) {
    Names.check("destination", name);
    Destination d = checked(merge(defaults(name, System.currentTimeMillis()), s));
    try {
      long id = db.jdbi().withExtension(DestinationDao.class, dao -> {
        if (dao.byName(name).isPresent()) throw new ConflictException("destination " + name + " already exists");
        return dao.insert(d);
      });
      Destination created = get(id);
      notifyChanged(created);
      return created;
    } catch (UnableToExecuteStatementException e) {
      throw new ConflictException("destination " + name + " already exists");
    }
  }

  public Destination update(String name, Settings s) {
    Destination d = checked(merge(get(name), s));
    db.jdbi().useExtension(DestinationDao.class, dao -> dao.update(d));
    notifyChanged(d);
    return d;
  }

  /** Records what an operator (or the Retry Count rule) set: ACTIVE, HOLD or STOP. */
  public Destination setDispatchState(long destinationId, String state, String user) {
    db.jdbi().useExtension(DestinationDao.class, dao -> dao.setDispatchState(destinationId, state, user == null ? "" : user));
    Destination d = get(destinationId);
    notifyChanged(d);
    return d;
  }

  public void delete(String name) {
    Destination d = get(name);
    try {
      db.jdbi().useExtension(DestinationDao.class, dao -> dao.delete(d.id()));
    } catch (UnableToExecuteStatementException e) {
      throw new ConflictException("destination " + name + " still has data files or transfers");
    }
    if (!deferred(d.id())) listener.get().destinationRemoved(d.id());
  }

  public Destination get(String name) {
    return db.jdbi().withExtension(DestinationDao.class, dao -> dao.byName(name))
        .orElseThrow(() -> new NotFoundException("destination " + name + " not found"));
  }

  public Destination get(long id) {
    return db.jdbi().withExtension(DestinationDao.class, dao -> dao.byId(id))
        .orElseThrow(() -> new NotFoundException("destination " + id + " not found"));
  }

  public List<Destination> list() {
    return db.jdbi().withExtension(DestinationDao.class, DestinationDao::all);
  }

  public void associate(String destination, String hostName, int priority) {
    checkPriority(priority);
    Destination d = get(destination);
    // one upsert takes no gap lock first (HostDao.associate); a transaction the database still
    // rolls back as a deadlock simply runs again
    for (int attempt = 1; ; attempt++) {
      try {
        db.jdbi().useTransaction(h -> {
          HostDao hosts = h.attach(HostDao.class);
          Host host = hosts.byName(hostName).orElseThrow(() -> new NotFoundException("host " + hostName + " not found"));
          hosts.associate(d.id(), host.id(), priority);
        });
        break;
      } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
        if (attempt >= 5 || !(e.getCause() instanceof java.sql.SQLTransactionRollbackException)) throw e;
      }
    }
    notifyChanged(d);
  }

  public void dissociate(String destination, String hostName) {
    Destination d = get(destination);
    int n = db.jdbi().withExtension(HostDao.class, hosts -> {
      Host host = hosts.byName(hostName).orElseThrow(() -> new NotFoundException("host " + hostName + " not found"));
      return hosts.dissociate(d.id(), host.id());
    });
    if (n == 0) throw new NotFoundException("host " + hostName + " is not associated with " + destination);
    notifyChanged(d);
  }

  public List<HostAssociation> hosts(String destination) {
    return hosts(get(destination).id());
  }

  public List<HostAssociation> hosts(long destinationId) {
    return db.jdbi().withExtension(HostDao.class, dao -> hosts(dao, destinationId));
  }

  private static List<HostAssociation> hosts(HostDao dao, long destinationId) {
    List<Host> hs = dao.hostsOf(destinationId);
    List<Integer> ps = dao.prioritiesOf(destinationId);
    java.util.ArrayList<HostAssociation> out = new java.util.ArrayList<>();
    for (int i = 0; i < hs.size(); i++) out.add(new HostAssociation(hs.get(i), ps.get(i)));
    return out;
  }

  /** The hosts the scheduler sends to, in failover order: enabled dissemination hosts by priority. */
  public List<HostAssociation> disseminationHosts(long destinationId) {
    return disseminationOnly(hosts(destinationId));
  }

  private static List<HostAssociation> disseminationOnly(List<HostAssociation> all) {
    return all.stream().filter(a -> Host.DISSEMINATION.equals(a.host().type()) && a.host().enabled()).toList();
  }

  /** {@link #hasDisseminationHosts(long)} read inside the caller's transaction. */
  public boolean hasDisseminationHosts(org.jdbi.v3.core.Handle h, long destinationId) {
    return !disseminationOnly(hosts(h.attach(HostDao.class), destinationId)).isEmpty();
  }

  /** Every destination's dissemination hosts in failover order, in two queries (scheduler start-up). */
  public java.util.Map<Long, List<HostAssociation>> allDisseminationHosts() {
    return db.jdbi().withExtension(HostDao.class, dao -> {
      List<Host> hs = dao.allAssociatedHosts();
      List<HostDao.AssociationRow> rows = dao.allAssociations();
      java.util.Map<Long, List<HostAssociation>> out = new java.util.HashMap<>();
      for (int i = 0; i < hs.size() && i < rows.size(); i++) {
        Host h = hs.get(i);
        if (!Host.DISSEMINATION.equals(h.type()) || !h.enabled()) continue;
        out.computeIfAbsent(rows.get(i).destinationId(), k -> new java.util.ArrayList<>())
            .add(new HostAssociation(h, rows.get(i).priority()));
      }
      return out;
    });
  }

  public boolean hasDisseminationHosts(long destinationId) {
    return !disseminationHosts(destinationId).isEmpty();
  }

  /** Tells the scheduler about destinations whose hosts changed. */
  public void hostsChanged(List<Long> destinationIds) {
    for (long id : destinationIds) notifyChanged(get(id));
  }

  private void notifyChanged(Destination d) {
    if (deferred(d.id())) return;
    listener.get().destinationChanged(d, disseminationHosts(d.id()));
  }

  public void addAlias(String destination, String target, String spec) {
    Destination src = get(destination);
    Destination dst = get(target);
    String text = spec == null ? "" : spec;
    db.limits().check("spec", text, "alias", "pattern");
    AliasRules.check(text);
    db.jdbi().useTransaction(h -> {
      DestinationDao dao = h.attach(DestinationDao.class);
      List<DestinationDao.AliasRow> edges = dao.allAliases();
      if (edges.stream().anyMatch(e -> e.destinationId() == src.id() && e.targetDestinationId() == dst.id())) {
        dao.updateAlias(src.id(), dst.id(), text);
        return;
      }
      AliasRules.checkNoCycle(edges, src.id(), dst.id(), id -> get(id).name());
      dao.addAlias(src.id(), dst.id(), text);
    });
  }

  public void removeAlias(String destination, String target) {
    Destination src = get(destination);
    Destination dst = get(target);
    int n = db.jdbi().withExtension(DestinationDao.class, dao -> dao.removeAlias(src.id(), dst.id()));
    if (n == 0) throw new NotFoundException(destination + " has no alias " + target);
  }

  public List<String> aliases(String destination) {
    Destination src = get(destination);
    return db.jdbi().withExtension(DestinationDao.class, dao -> dao.aliasTargets(src.id()))
        .stream().map(id -> get(id).name()).toList();
  }

  private Destination checked(Destination d) {
    db.limits().check("comment", d.comment(), "destination", "comment");
    db.limits().check("properties", d.properties(), "destination", "properties");
    return d;
  }

  static void checkPriority(int priority) {
    if (priority < 0 || priority > 99) throw new IllegalArgumentException("priority must be 0-99, got " + priority);
  }

  private static <T> T pick(T given, T current) {
    return given != null ? given : current;
  }

  private static String choice(String field, String given, String current, String... allowed) {
    if (given == null) return current;
    String v = given.trim().toUpperCase().replace(' ', '_').replace('-', '_');
    for (String a : allowed) if (a.equals(v)) return v;
    throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed) + ", got '" + given + "'");
  }

  private static void range(String field, long v, long min, long max) {
    if (v < min || v > max) throw new IllegalArgumentException(field + " must be " + min + "-" + max + ", got " + v);
  }

  private static Destination merge(Destination d, Settings s) {
    if (s == null) return d;
    int max = pick(s.maxConnections(), d.maxConnections());
    int retries = pick(s.retryCount(), d.retryCount());
    long freq = pick(s.retryFrequencyMs(), d.retryFrequencyMs());
    int requeue = pick(s.maxRequeue(), d.maxRequeue());
    int maxStart = pick(s.maxStart(), d.maxStart());
    long startFreq = pick(s.startFrequencyMs(), d.startFrequencyMs());
    int maxPending = pick(s.maxPending(), d.maxPending());
    long maxFileSize = pick(s.maxFileSize(), d.maxFileSize());
    long reset = pick(s.resetFrequencyMs(), d.resetFrequencyMs());
    long week = java.time.Duration.ofDays(7).toMillis();
    range("maxConnections", max, 1, 1000);
    range("retryCount", retries, 0, 1_000_000);
    range("retryFrequency", freq, 0, week);
    range("maxRequeue", requeue, 0, 1_000_000);
    range("maxStart", maxStart, 0, 1_000_000);
    range("startFrequency", startFreq, 0, week);
    range("maxPending", maxPending, 0, 100_000_000);
    range("maxFileSize", maxFileSize, 0, Long.MAX_VALUE);
    range("resetFrequency", reset, 0, week);
    String failure = choice("onHostFailure", s.onHostFailure(), d.onHostFailure(), Destination.NEXT_AND_RETRY,
        Destination.NEXT_AND_STAY);
    String exists = choice("ifTargetExists", s.ifTargetExists(), d.ifTargetExists(), Destination.OVERWRITE,
        Destination.RESUME);
    String spool = choice("deleteFromSpool", s.deleteFromSpool(), d.deleteFromSpool(), Destination.ON_EXPIRATION,
        Destination.ON_SUCCESS);
    String properties = pick(s.properties(), d.properties());
    DestinationOptions.parse(properties); // refuses a bad scheduler.* option when it is saved, not at 3 a.m.
    org.ecpds.master.notify.MqttOptions.check(properties); // and a bad mqtt.* one
    return new Destination(d.id(), d.name(), pick(s.comment(), d.comment()), pick(s.enabled(), d.enabled()), max,
        retries, freq, requeue, failure, d.createdMs(), maxStart, startFreq, maxPending, maxFileSize, reset, exists,
        spool, properties, d.dispatchState(), d.stateUser());
  }

  /** Every alias as (source, target, spec) names, for the configuration document. */
  public List<String[]> allAliases() {
    java.util.Map<Long, String> names = new java.util.HashMap<>();
    list().forEach(d -> names.put(d.id(), d.name()));
    return db.jdbi().withExtension(DestinationDao.class, DestinationDao::allAliases).stream()
        .map(a -> new String[] {names.get(a.destinationId()), names.get(a.targetDestinationId()), a.pattern()}).toList();
  }

  /** Destinations whose events this thread holds back until its transaction is over (see {@link #deferEvents}). */
  private final ThreadLocal<java.util.Set<Long>> held = new ThreadLocal<>();

  private boolean deferred(long destinationId) {
    java.util.Set<Long> ids = held.get();
    if (ids == null) return false;
    ids.add(destinationId);
    return true;
  }

  /**
   * Runs work (one transaction of many changes, such as a configuration apply) with the scheduler's
   * events held back, then tells the scheduler what the database holds for every destination the
   * work touched: committed or rolled back, the scheduler never hears of uncommitted settings.
   */
  public <T> T deferEvents(java.util.function.Supplier<T> work, java.util.Collection<Long> alsoResync) {
    java.util.Set<Long> ids = new java.util.HashSet<>();
    held.set(ids);
    try {
      return work.get();
    } finally {
      held.remove();
      ids.addAll(alsoResync);
      resync(ids);
    }
  }

  /**
   * After a rolled-back change (a configuration dry run or a failed apply) the scheduler may have
   * heard of settings that were never committed: it hears again what the database now holds.
   */
  public void resync(java.util.Collection<Long> destinationIds) {
    for (long id : destinationIds) {
      var d = db.jdbi().withExtension(DestinationDao.class, dao -> dao.byId(id));
      if (d.isPresent()) notifyChanged(d.get());
      else listener.get().destinationRemoved(id);
    }
  }
}
