package org.ecpds.master.acquisition;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One acquisition run without side effects: each rule's directory at the clock's time, and for each
 * given entry (standing for that directory's listing) whether it is selected and what would be
 * registered. It does not look at what is already registered (no requeue decision) and has no
 * previous listing, so only the temporary-name part of {@link Stability} applies.
 */
public final class DryRun {
  private DryRun() {}

  /** {@code registration} is set only when the entry would be registered; {@code problem} when its target is unusable. */
  public record EntryResult(RemoteFile entry, DirectoryRule.Selection selection, Stability.Decision stability,
      Registration registration, String problem) {}

  public record RuleResult(int line, String rule, String directory, List<EntryResult> entries) {}

  public static List<RuleResult> run(DirectoryRules rules, AcquisitionContext context, Clock clock, List<RemoteFile> entries) {
    List<RuleResult> out = new ArrayList<>();
    for (DirectoryRule rule : rules.rules()) {
      DirectoryRule.Listing listing = rule.listing(context, clock);
      Instant now = listing.now();
      List<EntryResult> results = new ArrayList<>();
      for (RemoteFile entry : entries) {
        DirectoryRule.Selection selection = rule.select(entry, listing, now);
        if (selection != DirectoryRule.Selection.SELECTED) {
          results.add(new EntryResult(entry, selection, null, null, null));
          continue;
        }
        Stability.Decision stability = Stability.decide(null, entry, rule.options().tmpPattern());
        if (stability != Stability.Decision.TAKE) {
          results.add(new EntryResult(entry, selection, stability, null, null));
          continue;
        }
        try {
          results.add(new EntryResult(entry, selection, stability, rule.plan(entry, listing, context), null));
        } catch (TargetException e) {
          results.add(new EntryResult(entry, selection, stability, null, e.getMessage()));
        }
      }
      out.add(new RuleResult(rule.line(), rule.text(), listing.display(), results));
    }
    return out;
  }
}
