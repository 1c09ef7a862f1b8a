package org.ecpds.portal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ecpds.proto.DestinationAccess;

/** An authenticated portal user and the destinations it may reach, as granted by the master. */
public record PortalUser(String name, List<DestinationAccess> destinations) {

  public PortalUser {
    Objects.requireNonNull(name, "name");
    destinations = List.copyOf(destinations);
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
