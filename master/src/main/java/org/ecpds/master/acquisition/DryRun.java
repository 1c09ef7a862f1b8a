package org.ecpds.master.acquisition;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One acquisition run without side effects: each rule's directory at the clock's time, and for each
 * given entry (standing for that directory's listing) the {@link ListingDecisions} outcome. It does
 * not look at what is already registered (every key counts as new) and has no previous listing, so
 * only the temporary-name part of {@link Stability} applies.
 */
public final class DryRun {
  private DryRun() {}

  public record RuleResult(int line, String rule, String directory, List<ListingDecisions.Decision> entries) {}

  public static List<RuleResult> run(DirectoryRules rules, AcquisitionContext context, Clock clock, List<RemoteFile> entries) {
    List<RuleResult> out = new ArrayList<>();
    for (DirectoryRule rule : rules.rules()) out.add(one(rule, rule.listing(context, clock), context, entries));
    return out;
  }

  /** One rule against the entries its directory listed (given, or listed by a mover: "test on server"). */
  public static RuleResult one(DirectoryRule rule, DirectoryRule.Listing listing, AcquisitionContext context,
      List<RemoteFile> entries) {
    // as if the same entries had been listed once before: a dry run shows what a run takes once files settle
    Map<String, Stability.Observation> settled = new java.util.HashMap<>();
    for (RemoteFile e : entries) settled.put(e.name(), Stability.Observation.of(e));
    List<ListingDecisions.Decision> decisions =
        ListingDecisions.decide(rule, listing, context, listing.now(), entries, settled, key -> null);
    return new RuleResult(rule.line(), rule.text(), listing.display(), decisions);
  }
}
