package org.ecpds.master.acquisition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The whole decision for one listed directory of one rule, in order: selection, stability, target and
 * dedup key, then requeue. Pure: what is already registered and the previous listing come in as
 * arguments, so the scheduler's run and the dry run share it.
 */
public final class ListingDecisions {
  private ListingDecisions() {}

  /**
   * One entry's outcome. {@code registration} is set when the entry passed selection, stability and
   * its target; {@code requeue} then says whether to register it, requeue it or leave it.
   */
  public record Decision(RemoteFile entry, DirectoryRule.Selection selection, Stability.Decision stability,
      Registration registration, Requeue.Decision requeue, String problem) {

    /** True when the scheduler should act (register, requeue, or delete with action=delete). */
    public boolean act() {
      return registration != null && (requeue == Requeue.Decision.REGISTER || requeue == Requeue.Decision.REQUEUE);
    }
  }

  /**
   * {@code previous} maps a name to what the previous listing of this directory showed (empty on a
   * first run); {@code known} gives what is registered under a dedup key, or null.
   */
  public static List<Decision> decide(DirectoryRule rule, DirectoryRule.Listing listing, AcquisitionContext context,
      Instant now, List<RemoteFile> entries, Map<String, Stability.Observation> previous,
      Function<DedupKey, Requeue.Known> known) {
    List<Decision> out = new ArrayList<>(entries.size());
    for (RemoteFile entry : entries) {
      DirectoryRule.Selection selection = rule.select(entry, listing, now);
      if (selection != DirectoryRule.Selection.SELECTED) {
        out.add(new Decision(entry, selection, null, null, null, null));
        continue;
      }
      Stability.Decision stability = Stability.decide(previous.get(entry.name()), entry, rule.options().tmpPattern());
      if (stability != Stability.Decision.TAKE) {
        out.add(new Decision(entry, selection, stability, null, null, null));
        continue;
      }
      Registration registration;
      try {
        registration = rule.plan(entry, listing, context);
      } catch (TargetException e) {
        out.add(new Decision(entry, selection, stability, null, null, e.getMessage()));
        continue;
      }
      Requeue.Decision requeue = Requeue.decide(known.apply(registration.key()), entry, rule.options());
      out.add(new Decision(entry, selection, stability, registration, requeue, null));
    }
    return out;
  }
}
