package org.ecpds.master.service.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.ecpds.master.db.Database;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.IncomingProfiles;
import org.ecpds.master.service.PortalQuotas;
import org.ecpds.master.service.UserService;

/**
 * Declarative configuration: export the whole configuration as one document, and apply one
 * idempotently (creates, updates, deletes what is absent) in one database transaction. A dry run
 * applies in the same way and rolls back, so it is refused exactly where the real apply would be,
 * and its diff is exact. The scheduler hears of the changes only once the transaction is over.
 */
public final class ConfigService {
  private final Database db;
  private final DestinationService destinations;
  private final ConfigExport export;
  private final ConfigApply apply;

  public ConfigService(Database db, DestinationService destinations, HostService hosts, UserService users,
      PortalQuotas quotas, IncomingProfiles profiles) {
    this.db = db;
    this.destinations = destinations;
    this.export = new ConfigExport(destinations, hosts, users, quotas, profiles);
    this.apply = new ConfigApply(destinations, hosts, users, quotas, profiles);
  }

  public ConfigDocument export() {
    return db.jdbi().inTransaction(h -> export.read()); // one consistent snapshot
  }

  public record Applied(boolean dryRun, ConfigDiff diff) {}

  /** The marker that rolls back a dry run. */
  private static final class DryRunRollback extends RuntimeException {
    final transient ConfigDiff diff;

    DryRunRollback(ConfigDiff diff) {
      super(null, null, false, false);
      this.diff = diff;
    }
  }

  /** Applies the document as {@code caller} (a web user the document may not remove). */
  public Applied apply(ConfigDocument want, boolean dryRun, String caller) {
    return apply(want, dryRun, caller, true);
  }

  /**
   * Restores part of a configuration (OpenECPDS's destination backup): what the document holds is
   * created or updated, nothing else is removed.
   */
  public Applied restore(ConfigDocument part, boolean dryRun, String caller) {
    return apply(part, dryRun, caller, false);
  }

  /** The destinations whose names match, with the hosts they use; users and web users are left out. */
  public ConfigDocument backup(java.util.function.Predicate<String> destination) {
    ConfigDocument all = export();
    List<ConfigDocument.DestinationConfig> ds = all.destinations().stream().filter(d -> destination.test(d.name()))
        .toList();
    Set<String> used = new HashSet<>();
    ds.forEach(d -> d.hosts().forEach(l -> used.add(l.host())));
    return new ConfigDocument(ConfigDocument.VERSION, all.hosts().stream().filter(h -> used.contains(h.name())).toList(),
        ds, null, null);
  }

  private Applied apply(ConfigDocument want, boolean dryRun, String caller, boolean prune) {
    check(want);
    Set<Long> touched = new HashSet<>(); // ids that may be gone after the apply (created, then rolled back)
    try {
      ConfigDiff diff = destinations.deferEvents(() -> db.jdbi().inTransaction(h -> {
        ConfigDocument before = export.read();
        apply.apply(before, want, caller, prune);
        destinations.list().forEach(d -> touched.add(d.id()));
        ConfigDiff d = ConfigDiff.between(before, export.read());
        if (dryRun) throw new DryRunRollback(d);
        return d;
      }), touched);
      return new Applied(false, diff);
    } catch (DryRunRollback r) {
      return new Applied(true, r.diff);
    }
  }

  /** What can be refused before anything is touched: the version, missing and duplicate names. */
  static void check(ConfigDocument d) {
    if (d == null) throw new IllegalArgumentException("a JSON configuration document is required");
    if (d.version() == null || d.version() != ConfigDocument.VERSION) {
      throw new IllegalArgumentException("version must be " + ConfigDocument.VERSION + ", got " + d.version());
    }
    names("hosts", d.hosts(), ConfigDocument.HostConfig::name, "name");
    names("destinations", d.destinations(), ConfigDocument.DestinationConfig::name, "name");
    names("incomingUsers", d.incomingUsers(), ConfigDocument.IncomingUserConfig::id, "id");
    names("webUsers", d.webUsers(), ConfigDocument.WebUserConfig::name, "name");
  }

  private static <T> void names(String section, List<T> list, Function<T, String> name, String field) {
    if (list == null) return;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      T x = list.get(i);
      if (x == null) throw new IllegalArgumentException(section + "[" + i + "] must be an object");
      String n = name.apply(x);
      if (n == null || n.isEmpty()) throw new IllegalArgumentException(section + "[" + i + "]." + field + " is required");
      if (!seen.add(n)) throw new IllegalArgumentException(section + "[" + i + "]." + field + ": duplicate '" + n + "'");
    }
  }

}
