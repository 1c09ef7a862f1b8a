package org.ecpds.portal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.UserLimits;

/**
 * An authenticated portal user, the destinations it may reach, as granted by the master, and its
 * limits (sessions, whether it has quotas the portal must ask about).
 */
public record PortalUser(String name, List<DestinationAccess> destinations, UserLimits limits) {

  public PortalUser {
    Objects.requireNonNull(name, "name");
    destinations = List.copyOf(destinations);
    limits = limits == null ? UserLimits.getDefaultInstance() : limits;
  }

  /** A user without limits of its own. */
  public PortalUser(String name, List<DestinationAccess> destinations) {
    this(name, destinations, UserLimits.getDefaultInstance());
  }

  /** The grant for one destination, if any. */
  public Optional<DestinationAccess> access(String destination) {
    return destinations.stream().filter(d -> d.getDestination().equals(destination)).findFirst();
  }

  /** Destinations shown at the portal root: those the user may list or download from, sorted. */
  public List<String> browsableDestinations() {
    return destinations.stream()
        .filter(d -> d.getDir() || d.getGet())
        .map(DestinationAccess::getDestination)
        .distinct()
        .sorted()
        .toList();
  }
}
