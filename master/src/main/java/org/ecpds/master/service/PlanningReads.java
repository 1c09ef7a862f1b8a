package org.ecpds.master.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.ecpds.master.db.DestinationDao;
import org.ecpds.master.db.DestinationDao.AliasRow;
import org.ecpds.master.domain.Destination;
import org.jdbi.v3.core.Handle;

/**
 * What planning a file's transfers reads (the alias graph, aliased destinations, whether a
 * destination has dissemination hosts), read once per transaction: a batch of registrations plans
 * its files against the same reads instead of repeating them per file.
 */
final class PlanningReads {
  private final DestinationDao dao;
  private final LongPredicate hasHostsLoader;
  private Map<Long, List<AliasRow>> edges;
  private final Map<Long, Optional<Destination>> destinations = new HashMap<>();
  private final Map<Long, Boolean> hasHosts = new HashMap<>();

  PlanningReads(Handle h, LongPredicate hasDisseminationHosts) {
    this.dao = h.attach(DestinationDao.class);
    this.hasHostsLoader = hasDisseminationHosts;
  }

  /** Alias rows by the destination they start from. */
  Map<Long, List<AliasRow>> aliasesFrom() {
    if (edges == null) {
      edges = new HashMap<>();
      for (AliasRow r : dao.allAliases()) edges.computeIfAbsent(r.destinationId(), k -> new ArrayList<>()).add(r);
    }
    return edges;
  }

  Optional<Destination> destination(long id) {
    return destinations.computeIfAbsent(id, dao::byId);
  }

  boolean hasDisseminationHosts(long destinationId) {
    return hasHosts.computeIfAbsent(destinationId, hasHostsLoader::test);
  }
}
