package org.ecpds.master.acquisition;

import java.util.List;
import java.util.stream.Collectors;

/** A Directory field (or its {@code acquisition.*} options) that does not parse; carries every problem found. */
public final class DirectoryRuleException extends IllegalArgumentException {
  private final transient List<RuleProblem> problems;

  public DirectoryRuleException(List<RuleProblem> problems) {
    super("directory: " + problems.stream().map(RuleProblem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<RuleProblem> problems() {
    return problems;
  }
}
