package org.ecpds.master.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AliasGraphTest {
  private final AliasGraph<String> graph = new AliasGraph<>(Map.of("A", Set.of("B"), "B", Set.of("C"), "C", Set.of("D")));

  @Test
  void edgeClosingACycleIsRefusedWithThePath() {
    assertThatThrownBy(() -> graph.checkAdd("C", "A")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alias C -> A would create a cycle: C -> A -> B -> C");
    assertThatThrownBy(() -> graph.checkAdd("D", "B")).hasMessage("alias D -> B would create a cycle: D -> B -> C -> D");
  }

  @Test
  void selfAliasIsRefused() {
    assertThatThrownBy(() -> graph.checkAdd("X", "X")).hasMessage("alias X -> X would create a cycle: a destination cannot be its own alias");
  }

  @Test
  void harmlessEdgesAreAccepted() {
    graph.checkAdd("A", "C");
    graph.checkAdd("A", "D");
    graph.checkAdd("D", "E");
    graph.checkAdd("E", "A");
  }

  @Test
  void idsWithNames() {
    Map<Long, String> names = Map.of(1L, "ecmwf", 2L, "backup");
    AliasGraph<Long> ids = new AliasGraph<>(Map.of(1L, Set.of(2L)), names::get);
    assertThatThrownBy(() -> ids.checkAdd(2L, 1L)).hasMessage("alias backup -> ecmwf would create a cycle: backup -> ecmwf -> backup");
  }

  @Test
  void expandIsBreadthFirstAndVisitsEachOnce() {
    AliasGraph<String> g = new AliasGraph<>(Map.of("A", java.util.List.of("B", "C"), "B", java.util.List.of("D", "C"), "C", java.util.List.of("D")));
    assertThat(g.expand("A")).containsExactly("B", "C", "D");
    assertThat(g.expand("D")).isEmpty();
  }

  @Test
  void expandSurvivesAStoredCycle() {
    Map<String, Set<String>> cyclic = Map.of("A", Set.of("B"), "B", Set.of("C"), "C", Set.of("A"));
    assertThat(AliasGraph.expand("A", cyclic::get)).containsExactly("B", "C");
    assertThat(AliasGraph.expand("Z", cyclic::get)).isEmpty();
  }
}
