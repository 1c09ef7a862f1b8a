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
  private final Runnable onChange;

  /** onChange tells the scheduler that settings changed (it re-reads them). */
  public DestinationService(Database db, Runnable onChange) {
    this.db = db;
    this.onChange = onChange;
  }

  public record Settings(String comment, Boolean enabled, Integer maxConnections, Integer retryCount,
      Long retryFrequencyMs, Integer maxRequeue, String onHostFailure) {}

  public Destination create(String name, Settings s) {
    Names.check("destination", name);
    long now = System.currentTimeMillis();
    Destination d = merge(new Destination(0, name, "", true, 1, 3, 60_000, 3, Destination.NEXT_AND_RETRY, now), s);
    try {
      long id = db.jdbi().withExtension(DestinationDao.class, dao -> {
        if (dao.byName(name).isPresent()) throw new ConflictException("destination " + name + " already exists");
        return dao.insert(d);
      });
      onChange.run();
      return get(id);
    } catch (UnableToExecuteStatementException e) {
      throw new ConflictException("destination " + name + " already exists");
    }
  }

  public Destination update(String name, Settings s) {
    Destination d = merge(get(name), s);
    db.jdbi().useExtension(DestinationDao.class, dao -> dao.update(d));
    onChange.run();
    return d;
  }

  public void delete(String name) {
    Destination d = get(name);
    try {
      db.jdbi().useExtension(DestinationDao.class, dao -> dao.delete(d.id()));
    } catch (UnableToExecuteStatementException e) {
      throw new ConflictException("destination " + name + " still has data files or transfers");
    }
    onChange.run();
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
    db.jdbi().useTransaction(h -> {
      HostDao hosts = h.attach(HostDao.class);
      Host host = hosts.byName(hostName).orElseThrow(() -> new NotFoundException("host " + hostName + " not found"));
      if (hosts.updatePriority(d.id(), host.id(), priority) == 0) hosts.associate(d.id(), host.id(), priority);
    });
    onChange.run();
  }

  public void dissociate(String destination, String hostName) {
    Destination d = get(destination);
    int n = db.jdbi().withExtension(HostDao.class, hosts -> {
      Host host = hosts.byName(hostName).orElseThrow(() -> new NotFoundException("host " + hostName + " not found"));
      return hosts.dissociate(d.id(), host.id());
    });
    if (n == 0) throw new NotFoundException("host " + hostName + " is not associated with " + destination);
    onChange.run();
  }

  public List<HostAssociation> hosts(String destination) {
    return hosts(get(destination).id());
  }

  public List<HostAssociation> hosts(long destinationId) {
    return db.jdbi().withExtension(HostDao.class, dao -> {
      List<Host> hs = dao.hostsOf(destinationId);
      List<Integer> ps = dao.prioritiesOf(destinationId);
      java.util.ArrayList<HostAssociation> out = new java.util.ArrayList<>();
      for (int i = 0; i < hs.size(); i++) out.add(new HostAssociation(hs.get(i), ps.get(i)));
      return out;
    });
  }

  public void addAlias(String destination, String target) {
    Destination src = get(destination);
    Destination dst = get(target);
    if (src.id() == dst.id()) throw new IllegalArgumentException("a destination cannot alias itself");
    db.jdbi().useExtension(DestinationDao.class, dao -> {
      if (!dao.aliasTargets(src.id()).contains(dst.id())) dao.addAlias(src.id(), dst.id());
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

  static void checkPriority(int priority) {
    if (priority < 0 || priority > 99) throw new IllegalArgumentException("priority must be 0-99, got " + priority);
  }

  private static Destination merge(Destination d, Settings s) {
    if (s == null) return d;
    int max = s.maxConnections() != null ? s.maxConnections() : d.maxConnections();
    int retries = s.retryCount() != null ? s.retryCount() : d.retryCount();
    long freq = s.retryFrequencyMs() != null ? s.retryFrequencyMs() : d.retryFrequencyMs();
    int requeue = s.maxRequeue() != null ? s.maxRequeue() : d.maxRequeue();
    String failure = s.onHostFailure() != null ? s.onHostFailure().trim().toUpperCase().replace(' ', '_').replace('-', '_')
        : d.onHostFailure();
    if (max < 1 || max > 1000) throw new IllegalArgumentException("maxConnections must be 1-1000");
    if (retries < 0) throw new IllegalArgumentException("retryCount must be >= 0");
    if (freq < 0) throw new IllegalArgumentException("retryFrequency must be >= 0");
    if (requeue < 0) throw new IllegalArgumentException("maxRequeue must be >= 0");
    if (!failure.equals(Destination.NEXT_AND_RETRY) && !failure.equals(Destination.NEXT_AND_STAY)) {
      throw new IllegalArgumentException("onHostFailure must be NEXT_AND_RETRY or NEXT_AND_STAY");
    }
    String comment = s.comment() != null ? s.comment() : d.comment();
    boolean enabled = s.enabled() != null ? s.enabled() : d.enabled();
    return new Destination(d.id(), d.name(), comment, enabled, max, retries, freq, requeue, failure, d.createdMs());
  }
}
