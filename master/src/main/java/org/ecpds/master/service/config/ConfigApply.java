package org.ecpds.master.service.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
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
import org.ecpds.master.service.config.ConfigDocument.WebUserConfig;

/**
 * Brings the configuration to a document through the services (so every rule of create and update
 * holds), touching only what differs. Runs inside the caller's transaction. A section left out of
 * the document (null) is not managed; an empty one removes everything of its kind. A refusal is an
 * IllegalArgumentException whose message starts with the entity, e.g. "destinations[FOO]: ...".
 */
final class ConfigApply {
  private final DestinationService destinations;
  private final HostService hosts;
  private final UserService users;
  private final PortalQuotas quotas;
  private final IncomingProfiles profiles;

  ConfigApply(DestinationService destinations, HostService hosts, UserService users, PortalQuotas quotas,
      IncomingProfiles profiles) {
    this.destinations = destinations;
    this.hosts = hosts;
    this.users = users;
    this.quotas = quotas;
    this.profiles = profiles;
  }

  /** With {@code prune} false nothing absent from the document is removed (a partial restore). */
  void apply(ConfigDocument have, ConfigDocument want, String caller, boolean prune) {
    if (want.hosts() != null) {
      Map<String, HostConfig> old = byName(have.hosts(), HostConfig::name);
      for (HostConfig given : want.hosts()) {
        HostConfig h = overlay(old.get(given.name()), given, HostConfig.class);
        if (!h.equals(old.get(h.name()))) at("hosts[" + h.name() + "]", () -> hosts.putStored(h.name(), stored(h)));
      }
    }
    if (want.destinations() != null) {
      Map<String, DestinationConfig> old = byName(have.destinations(), DestinationConfig::name);
      for (DestinationConfig d : want.destinations()) {
        DestinationConfig before = old.get(d.name());
        at("destinations[" + d.name() + "]", () -> {
          if (before == null) destinations.create(d.name(), settings(d));
          else if (!sameSettings(before, d)) destinations.update(d.name(), settings(d));
        });
      }
      for (DestinationConfig d : want.destinations()) {
        DestinationConfig before = old.get(d.name());
        at("destinations[" + d.name() + "].hosts", () -> links(d, before));
        at("destinations[" + d.name() + "].aliases", () -> aliases(d, before));
      }
    }
    if (want.incomingUsers() != null) {
      Map<String, IncomingUserConfig> old = byName(have.incomingUsers(), IncomingUserConfig::id);
      for (IncomingUserConfig given : want.incomingUsers()) {
        IncomingUserConfig u = overlay(old.get(given.id()), given, IncomingUserConfig.class);
        if (!u.equals(old.get(u.id()))) at("incomingUsers[" + u.id() + "]", () -> user(u, old.get(u.id())));
      }
      for (IncomingUserConfig u : prune ? have.incomingUsers() : List.<IncomingUserConfig>of()) {
        if (absent(want.incomingUsers(), IncomingUserConfig::id, u.id())) users.deleteIncoming(u.id());
      }
    }
    if (want.destinations() != null && prune) {
      for (DestinationConfig d : have.destinations()) {
        if (absent(want.destinations(), DestinationConfig::name, d.name())) {
          at("destinations[" + d.name() + "]", () -> destinations.delete(d.name()));
        }
      }
    }
    if (want.hosts() != null && prune) {
      for (HostConfig h : have.hosts()) {
        if (absent(want.hosts(), HostConfig::name, h.name())) hosts.delete(h.name());
      }
    }
    if (want.webUsers() != null && prune) webUsers(have.webUsers(), want.webUsers(), caller);
  }

  private static <T> Map<String, T> byName(List<T> list, Function<T, String> name) {
    return list.stream().collect(Collectors.toMap(name, x -> x));
  }

  private static <T> boolean absent(List<T> list, Function<T, String> name, String value) {
    return list.stream().noneMatch(x -> value.equals(name.apply(x)));
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The given entity with the fields it leaves out (null) taken from the existing one: as in a REST
   * update, a field left out keeps its value; a new entity gets the defaults.
   */
  static <T> T overlay(T existing, T given, Class<T> type) {
    if (existing == null) return given;
    ObjectNode merged = JSON.valueToTree(existing);
    JSON.<ObjectNode>valueToTree(given).fields().forEachRemaining(f -> {
      if (!f.getValue().isNull()) merged.set(f.getKey(), f.getValue());
    });
    return JSON.convertValue(merged, type);
  }

  /** Runs a step; a refusal names the entity it is about. */
  private static void at(String where, Runnable step) {
    try {
      step.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static HostService.Stored stored(HostConfig h) {
    return new HostService.Stored(h.type(), h.transferMethod(), h.address(), h.port(), h.login(), h.passwordEncrypted(),
        h.directory(), h.options(), h.enabled(), h.maxConnections(), h.acquisitionFrequency());
  }

  private static DestinationService.Settings settings(DestinationConfig d) {
    return new DestinationService.Settings(d.comment(), d.enabled(), d.maxConnections(), d.retryCount(),
        d.retryFrequency(), d.maxRequeue(), d.onHostFailure(), d.maxStart(), d.startFrequency(), d.maxPending(),
        d.maxFileSize(), d.resetFrequency(), d.ifTargetExists(), d.deleteFromSpool(), d.properties());
  }

  private static boolean sameSettings(DestinationConfig a, DestinationConfig b) {
    return settings(a).equals(settings(b));
  }

  private void links(DestinationConfig d, DestinationConfig before) {
    if (d.hosts() == null) return;
    Map<String, Integer> old = new HashMap<>();
    if (before != null) before.hosts().forEach(l -> old.put(l.host(), l.priority()));
    Set<String> wanted = new HashSet<>();
    for (HostLink l : d.hosts()) {
      if (l == null || l.host() == null) throw new IllegalArgumentException("every entry needs a host");
      wanted.add(l.host());
      int priority = l.priority() == null ? 0 : l.priority();
      if (!Objects.equals(old.get(l.host()), priority)) destinations.associate(d.name(), l.host(), priority);
    }
    for (String h : old.keySet()) {
      if (!wanted.contains(h)) destinations.dissociate(d.name(), h);
    }
  }

  private void aliases(DestinationConfig d, DestinationConfig before) {
    if (d.aliases() == null) return;
    Map<String, String> old = new HashMap<>();
    if (before != null) before.aliases().forEach(a -> old.put(a.target(), a.spec()));
    Set<String> wanted = new HashSet<>();
    for (AliasConfig a : d.aliases()) {
      if (a == null || a.target() == null) throw new IllegalArgumentException("every alias needs a target");
      wanted.add(a.target());
      String spec = a.spec() == null ? "" : a.spec();
      if (!spec.equals(old.get(a.target()))) destinations.addAlias(d.name(), a.target(), spec);
    }
    for (String t : old.keySet()) {
      if (!wanted.contains(t)) destinations.removeAlias(d.name(), t);
    }
  }

  private void user(IncomingUserConfig u, IncomingUserConfig before) {
    users.putIncomingHashed(u.id(), u.passwordHash(), u.email(), u.enabled() == null || u.enabled());
    profiles.setIso(u.id(), u.iso());
    if (u.categories() != null) profiles.setCategories(u.id(), u.categories());
    long id = users.incoming(u.id()).id();
    quotas.save(id, PortalQuotas.apply(PortalLimits.NONE, new PortalQuotas.Patch(u.maxConnections(), u.maxUploadBytes(),
        u.uploadPeriod(), u.maxDownloadBytes(), u.downloadPeriod())));
    if (u.permissions() != null) permissions(u, before);
    if (u.publicKeys() != null) keys(u);
  }

  /** The user's grants become those of the document. */
  private void permissions(IncomingUserConfig u, IncomingUserConfig before) {
    Map<String, PermissionConfig> old = new HashMap<>();
    if (before != null) before.permissions().forEach(p -> old.put(p.destination(), p));
    Set<String> wanted = new HashSet<>();
    for (PermissionConfig p : u.permissions()) {
      if (p == null || p.destination() == null) throw new IllegalArgumentException("every permission needs a destination");
      wanted.add(p.destination());
      if (!p.equals(old.get(p.destination()))) users.grant(u.id(), p.destination(), rights(p));
    }
    for (String d : old.keySet()) {
      if (!wanted.contains(d)) users.revoke(u.id(), d);
    }
  }

  /** The user's public keys become those of the document (compared as text). */
  private void keys(IncomingUserConfig u) {
    Set<String> keys = new HashSet<>(u.publicKeys());
    for (var k : users.keys(u.id())) {
      if (!keys.remove(k.publicKey())) users.deleteKey(u.id(), k.id());
    }
    for (String k : keys) users.addKey(u.id(), k);
  }

  private static Permission.Rights rights(PermissionConfig p) {
    Permission.Rights d = Permission.Rights.defaults();
    return new Permission.Rights(or(p.get(), d.get()), or(p.put(), d.put()), or(p.delete(), d.delete()),
        or(p.dir(), d.dir()), or(p.mkdir(), d.mkdir()), or(p.rmdir(), d.rmdir()), or(p.rename(), d.rename()),
        or(p.size(), d.size()), or(p.mtime(), d.mtime()), p.rules() == null ? List.of()
            : p.rules().stream().map(r -> {
              if (r == null) throw new IllegalArgumentException("a path rule must be an object {permission, regex}");
              return new Permission.Rule(r.permission(), r.regex());
            }).toList());
  }

  private static boolean or(Boolean v, boolean def) {
    return v == null ? def : v;
  }

  private void webUsers(List<WebUserConfig> have, List<WebUserConfig> want, String caller) {
    if (caller != null && absent(want, WebUserConfig::name, caller) && !absent(have, WebUserConfig::name, caller)) {
      throw new IllegalArgumentException("webUsers: the document would remove " + caller + ", the user applying it");
    }
    Map<String, WebUserConfig> old = byName(have, WebUserConfig::name);
    for (WebUserConfig given : want) {
      WebUserConfig w = overlay(old.get(given.name()), given, WebUserConfig.class);
      if (!w.equals(old.get(w.name()))) {
        at("webUsers[" + w.name() + "]", () -> users.putWebUser(w.name(), w.passwordHash(), w.roles(),
            w.enabled() == null || w.enabled()));
      }
    }
    for (WebUserConfig w : have) {
      if (absent(want, WebUserConfig::name, w.name())) users.deleteWebUser(w.name());
    }
  }
}
