package org.ecpds.master.service;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.ecpds.master.acquisition.AcquisitionContext;
import org.ecpds.master.acquisition.AcquisitionScheduler;
import org.ecpds.master.acquisition.DirectoryRules;
import org.ecpds.master.acquisition.DryRun;
import org.ecpds.master.acquisition.RemoteFile;
import org.ecpds.master.db.Database;
import org.ecpds.master.domain.Host;
import org.ecpds.master.rules.TemplateContext;

/** The acquisition rules of a host put to use: the dry run now, the scheduler's runs later. */
public final class AcquisitionService {
  private final Database db;
  private final HostService hosts;
  private final Clock clock;

  public AcquisitionService(Database db, HostService hosts, Clock clock) {
    this.db = db;
    this.hosts = hosts;
    this.clock = clock;
  }

  /**
   * What the host's rules would register from {@code entries} (standing for each rule's listing),
   * registering nothing. {@code destination} may be omitted when the host serves exactly one.
   */
  public List<DryRun.RuleResult> dryRun(String hostName, String destination, List<RemoteFile> entries) {
    Host h = hosts.get(hostName);
    if (!Host.ACQUISITION.equals(h.type())) throw new IllegalArgumentException("host " + hostName + " is not an acquisition host");
    DirectoryRules rules = DirectoryRules.parse(h.directory(), h.options());
    return DryRun.run(rules, context(h, destinationOf(h, destination)), clock, entries == null ? List.of() : entries);
  }

  /**
   * The Acquisition Scheduler's targets: every enabled acquisition host of every enabled destination,
   * with its acquisition frequency. One small indexed query; the scheduler reads it once a tick.
   */
  public List<AcquisitionScheduler.Target> targets() {
    return db.jdbi().withHandle(x -> x.createQuery(
        "SELECT d.name AS d, h.name AS h, h.acquisition_frequency_ms AS f FROM destination_host dh "
            + "JOIN destination d ON d.id = dh.destination_id JOIN host h ON h.id = dh.host_id "
            + "WHERE h.type = :type AND h.enabled = TRUE AND d.enabled = TRUE ORDER BY d.name, h.name")
        .bind("type", Host.ACQUISITION)
        .map((rs, ctx) -> new AcquisitionScheduler.Target(rs.getString("d"), rs.getString("h"),
            Duration.ofMillis(rs.getLong("f"))))
        .list());
  }

  /**
   * The target a "run now" starts: the host must be an enabled acquisition host of the enabled
   * destination (404 for an unknown host or destination, 409 otherwise).
   */
  public AcquisitionScheduler.Target target(String host, String destination) {
    Host h = hosts.get(host);
    if (destination == null || destination.isBlank()) throw new IllegalArgumentException("destination is required");
    return targets().stream().filter(t -> t.host().equals(h.name()) && t.destination().equals(destination)).findFirst()
        .orElseThrow(() -> new org.ecpds.master.domain.ConflictException("host " + h.name() + " is not an enabled "
            + "acquisition host of an enabled destination " + destination));
  }

  /** The context of a host's rules; the password is only decrypted here, for the path sent to a mover. */
  public AcquisitionContext context(Host h, String destination) {
    return new AcquisitionContext(destination,
        new TemplateContext.Host(h.name(), h.name(), h.address(), h.login(), null, null, null, null),
        h.transferMethod(), hosts.password(h));
  }

  /** The destination a dry run of the host is for: the given one, or the host's only one. */
  public String destinationOf(Host h, String given) {
    List<String> names = db.jdbi().withHandle(x -> x.createQuery(
        "SELECT d.name FROM destination d JOIN destination_host dh ON dh.destination_id = d.id WHERE dh.host_id = :h ORDER BY d.name")
        .bind("h", h.id()).mapTo(String.class).list());
    if (given != null && !given.isBlank()) {
      if (!names.contains(given)) throw new IllegalArgumentException("destination " + given + " does not use host " + h.name());
      return given;
    }
    if (names.size() == 1) return names.get(0);
    throw new IllegalArgumentException(names.isEmpty()
        ? "host " + h.name() + " is not attached to a destination; give 'destination'"
        : "host " + h.name() + " serves several destinations " + names + "; give 'destination'");
  }
}
