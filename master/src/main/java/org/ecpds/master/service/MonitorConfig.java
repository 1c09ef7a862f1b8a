package org.ecpds.master.service;

import java.util.Map;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.service.UserService.Principal;

/**
 * The configuration changes the monitor's forms make, each a composition of the existing services
 * (which hold the validation rules) behind the operator check. Objects a form refers to are looked
 * up before anything is created, so a bad reference leaves nothing half made.
 */
public final class MonitorConfig {
  private final UserService users;
  private final DestinationService destinations;
  private final HostService hosts;

  public MonitorConfig(UserService users, DestinationService destinations, HostService hosts) {
    this.users = users;
    this.destinations = destinations;
    this.hosts = hosts;
  }

  public Destination createDestination(Principal who, String name, String comment, Integer maxConnections) {
    users.requireAdmin(who);
    return destinations.create(name, new DestinationService.Settings(comment, null, maxConnections, null, null,
        null, null));
  }

  /** A dissemination host, associated with the destination at priority 0. */
  public Host createHost(Principal who, String name, String destination, String method, String address,
      Integer port, String login, String password, String directory) {
    users.requireAdmin(who);
    destinations.get(destination);
    Host h = hosts.create(name, new HostService.Spec(null, method, address, port, login, password, directory,
        Map.of(), true));
    destinations.associate(destination, name, 0);
    return h;
  }

  /** An incoming user, with a permission on the destination when one is named. */
  public IncomingUser createIncomingUser(Principal who, String name, String password, String email,
      String destination, boolean get, boolean put, boolean delete) {
    users.requireAdmin(who);
    boolean grant = destination != null && !destination.isBlank();
    if (grant) destinations.get(destination);
    IncomingUser u = users.createIncoming(name, password, email);
    if (grant) users.grant(name, destination, get, put, delete, true);
    return u;
  }
}
