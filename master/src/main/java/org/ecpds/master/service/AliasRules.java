package org.ecpds.master.service;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.ecpds.master.db.DestinationDao.AliasRow;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.rules.AliasGraph;
import org.ecpds.master.rules.AliasOverride;
import org.ecpds.master.rules.AliasRule;

/**
 * Where an arriving file goes: its destination, then every alias whose conditions (alias.pattern)
 * accept it, recursively, each destination once; an alias of an alias sees the target as the first
 * alias rewrote it. Cycles are refused when an alias is created.
 */
final class AliasRules {
  private AliasRules() {}

  /** One destination the file goes to; override is null for the file's own destination. */
  record Delivery(Destination destination, AliasOverride override, String via) {}

  static List<Delivery> deliveries(PlanningReads reads, Destination home, String target, Map<String, String> metadata,
      Instant now) {
    Map<Long, List<AliasRow>> edges = reads.aliasesFrom();
    List<Delivery> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    Deque<Delivery> todo = new ArrayDeque<>(List.of(new Delivery(home, null, "")));
    while (!todo.isEmpty()) {
      Delivery d = todo.poll();
      if (!seen.add(d.destination().id())) continue;
      out.add(d);
      String seenTarget = d.override() != null && d.override().target() != null ? d.override().target() : target;
      for (AliasRow e : edges.getOrDefault(d.destination().id(), List.of())) {
        Destination alias = reads.destination(e.targetDestinationId()).orElse(null);
        if (alias == null || seen.contains(alias.id())) continue;
        Optional<AliasOverride> o = AliasRule.parse(e.pattern()).evaluate(seenTarget, metadata,
            d.destination().name(), alias.name(), now);
        o.ifPresent(ov -> todo.add(new Delivery(alias, ov, d.destination().name())));
      }
    }
    return out;
  }

  /** Validates an alias spec when it is saved. */
  static void check(String spec) {
    AliasRule.parse(spec);
  }

  /** Refuses the edge from -> to when it closes a cycle, naming the path. */
  static void checkNoCycle(List<AliasRow> edges, long from, long to, LongFunction<String> name) {
    Map<Long, List<Long>> next = new HashMap<>();
    for (AliasRow r : edges) next.computeIfAbsent(r.destinationId(), k -> new ArrayList<>()).add(r.targetDestinationId());
    new AliasGraph<Long>(next, name::apply).checkAdd(from, to);
  }
}
