package org.ecpds.master.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Aliases between destinations form a directed graph; a data file put in one destination also goes to
 * every destination reachable from it. Adding an edge must not close a cycle, and walking the graph
 * must terminate even if stored data somehow holds one.
 *
 * @param <T> how a destination is identified (id or name)
 */
public final class AliasGraph<T> {
  private final Map<T, List<T>> edges;
  private final Function<T, String> names;

  /** {@code names} gives the destination names used in error messages. */
  public AliasGraph(Map<T, ? extends Collection<T>> edges, Function<T, String> names) {
    this.edges = new HashMap<>();
    edges.forEach((from, to) -> this.edges.put(from, List.copyOf(to)));
    this.names = names;
  }

  public AliasGraph(Map<T, ? extends Collection<T>> edges) {
    this(edges, String::valueOf);
  }

  /** Throws IllegalArgumentException, naming the cycle, when {@code from -> to} would close one. */
  public void checkAdd(T from, T to) {
    if (from.equals(to)) throw new IllegalArgumentException("alias " + names.apply(from) + " -> " + names.apply(to) + " would create a cycle: a destination cannot be its own alias");
    List<T> back = path(to, from);
    if (back == null) return;
    StringBuilder cycle = new StringBuilder(names.apply(from));
    for (T step : back) cycle.append(" -> ").append(names.apply(step));
    throw new IllegalArgumentException("alias " + names.apply(from) + " -> " + names.apply(to) + " would create a cycle: " + cycle);
  }

  /** Every destination reachable from {@code start}, each once, nearest first; {@code start} itself is not included. */
  public List<T> expand(T start) {
    return expand(start, t -> edges.getOrDefault(t, List.of()));
  }

  /** As {@link #expand(Object)} over any graph, e.g. one read from the database on demand. */
  public static <T> List<T> expand(T start, Function<T, ? extends Collection<T>> aliasesOf) {
    Set<T> seen = new LinkedHashSet<>();
    seen.add(start);
    Deque<T> queue = new ArrayDeque<>(List.of(start));
    List<T> reached = new ArrayList<>();
    while (!queue.isEmpty()) {
      Collection<T> next = aliasesOf.apply(queue.poll());
      if (next == null) continue;
      for (T t : next) {
        if (seen.add(t)) {
          reached.add(t);
          queue.add(t);
        }
      }
    }
    return reached;
  }

  /** The shortest path from {@code start} to {@code goal} (both included), or null. */
  private List<T> path(T start, T goal) {
    Map<T, T> parent = new HashMap<>();
    parent.put(start, start);
    Deque<T> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      T current = queue.poll();
      if (current.equals(goal)) {
        List<T> path = new ArrayList<>();
        for (T t = goal; ; t = parent.get(t)) {
          path.add(0, t);
          if (t.equals(start)) return path;
        }
      }
      for (T t : edges.getOrDefault(current, List.of())) {
        if (parent.putIfAbsent(t, current) == null) queue.add(t);
      }
    }
    return null;
  }
}
