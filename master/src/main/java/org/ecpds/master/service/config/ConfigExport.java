package org.ecpds.master.service.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.ecpds.common.config.Durations;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.domain.PortalLimits;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.IncomingProfiles;
import org.ecpds.master.service.PortalQuotas;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.config.ConfigDocument.AliasConfig;
import org.ecpds.master.service.config.ConfigDocument.DestinationConfig;
import org.ecpds.master.service.config.ConfigDocument.HostConfig;
import org.ecpds.master.service.config.ConfigDocument.HostLink;
import org.ecpds.master.service.config.ConfigDocument.IncomingUserConfig;
import org.ecpds.master.service.config.ConfigDocument.PermissionConfig;
import org.ecpds.master.service.config.ConfigDocument.RuleConfig;
import org.ecpds.master.service.config.ConfigDocument.WebUserConfig;

/** Reads the configuration into a {@link ConfigDocument}, everything sorted by name. */
final class ConfigExport {
  private final DestinationService destinations;
  private final HostService hosts;
  private final UserService users;
  private final PortalQuotas quotas;
  private final IncomingProfiles profiles;

  ConfigExport(DestinationService destinations, HostService hosts, UserService users, PortalQuotas quotas,
      IncomingProfiles profiles) {
    this.destinations = destinations;
    this.hosts = hosts;
    this.users = users;
    this.quotas = quotas;
    this.profiles = profiles;
  }

  ConfigDocument read() {
    List<HostConfig> hostList = hosts.list().stream().sorted(Comparator.comparing(Host::name)).map(ConfigExport::host)
        .toList();
    List<String[]> aliases = destinations.allAliases();
    List<DestinationConfig> destinationList = destinations.list().stream()
        .sorted(Comparator.comparing(Destination::name)).map(d -> destination(d, aliases)).toList();
    List<IncomingUserConfig> userList = users.listIncoming().stream().sorted(Comparator.comparing(IncomingUser::name))
        .map(this::user).toList();
    List<WebUserConfig> webList = users.webUsers().stream().sorted(Comparator.comparing(w -> w.name()))
        .map(w -> new WebUserConfig(w.name(), w.passwordHash(), w.roles(), w.enabled())).toList();
    return new ConfigDocument(ConfigDocument.VERSION, hostList, destinationList, userList, webList);
  }

  static String duration(long ms) {
    return Durations.format(Duration.ofMillis(ms));
  }

  private static HostConfig host(Host h) {
    return new HostConfig(h.name(), h.type(), h.transferMethod(), h.address(), h.port(), h.login(), h.passwordEnc(),
        h.directory(), new TreeMap<>(h.options()), h.enabled(), h.maxConnections(), duration(h.acquisitionFrequencyMs()));
  }

  private DestinationConfig destination(Destination d, List<String[]> aliases) {
    // failover order is the priority; equal priorities are listed by host name so that the document is stable
    List<HostLink> links = destinations.hosts(d.name()).stream()
        .map(a -> new HostLink(a.host().name(), a.priority()))
        .sorted(Comparator.comparing(HostLink::priority).thenComparing(HostLink::host)).toList();
    List<AliasConfig> out = aliases.stream().filter(a -> d.name().equals(a[0])).map(a -> new AliasConfig(a[1], a[2]))
        .sorted(Comparator.comparing(AliasConfig::target)).toList();
    return new DestinationConfig(d.name(), d.comment(), d.enabled(), d.maxConnections(), d.retryCount(),
        d.retryFrequencyMs(), d.maxRequeue(), d.onHostFailure(), d.maxStart(), d.startFrequencyMs(), d.maxPending(),
        d.maxFileSize(), d.resetFrequencyMs(), d.ifTargetExists(), d.deleteFromSpool(), d.properties(), links, out);
  }

  private IncomingUserConfig user(IncomingUser u) {
    PortalLimits l = quotas.limits(u.id());
    List<PermissionConfig> perms = new ArrayList<>();
    for (Permission p : users.permissions(u.id())) perms.add(permission(p));
    perms.sort(Comparator.comparing(PermissionConfig::destination));
    List<String> keys = users.keys(u.name()).stream().map(k -> k.publicKey()).sorted().toList();
    return new IncomingUserConfig(u.name(), u.passwordHash(), u.email(), profiles.iso(u.name()), u.enabled(),
        profiles.categories(u.name()), l.maxConnections(), l.maxUploadBytes(), duration(l.uploadPeriod().toMillis()),
        l.maxDownloadBytes(), duration(l.downloadPeriod().toMillis()), perms, keys);
  }

  static PermissionConfig permission(Permission p) {
    Permission.Rights r = p.rights();
    return new PermissionConfig(p.destination(), r.get(), r.put(), r.delete(), r.dir(), r.mkdir(), r.rmdir(),
        r.rename(), r.size(), r.mtime(), r.rules().stream().map(x -> new RuleConfig(x.permission(), x.regex())).toList());
  }
}
