package org.ecpds.master.acquisition;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One listed directory of one rule in an acquisition run, fed page by page (a large listing is never
 * held whole): each page is remembered for the next run's stability check and, unless this is the
 * first listing of the directory (observe only), decided by {@link ListingDecisions} against what this
 * destination and host already took. A taken file is registered first and recorded second: after a
 * crash in between, the next run registers it again without force, which the retrieval service answers
 * with the existing data file (same destination, target, host and path). With action=delete the
 * files are deleted once the listing is complete, in {@link #finish()}: pages are delivered on the
 * thread that reads the mover's messages, and a delete's answer comes back on that same stream.
 */
public final class DirectoryPass {
  /** The side effects, so the pass is tested without a mover. */
  public interface Actions {
    /** Registers the file for retrieval ({@code force} for a requeue) and returns its data file id. */
    long register(Registration registration, boolean force) throws Exception;

    /** action=delete: removes the remote original instead of registering it (never called from page()). */
    void delete(Registration registration) throws Exception;
  }

  public record Counts(int listed, int registered, int requeued, int deleted, int failed) {}

  private final DirectoryRule rule;
  private final DirectoryRule.Listing listing;
  private final AcquisitionContext context;
  private final long destinationId;
  private final long hostId;
  private final AcquiredFiles taken;
  private final Map<String, Stability.Observation> previous;
  private final Observations.Recorder recorder;
  private final Actions actions;
  private final Clock clock;
  private final List<Registration> toDelete = new ArrayList<>();
  private int listed, registered, requeued, deleted, failed;

  /** {@code previous} null: first listing of this directory, entries are only observed. */
  public DirectoryPass(DirectoryRule rule, DirectoryRule.Listing listing, AcquisitionContext context, long destinationId,
      long hostId, AcquiredFiles taken, Map<String, Stability.Observation> previous, Observations.Recorder recorder,
      Actions actions, Clock clock) {
    this.rule = rule;
    this.listing = listing;
    this.context = context;
    this.destinationId = destinationId;
    this.hostId = hostId;
    this.taken = taken;
    this.previous = previous;
    this.recorder = recorder;
    this.actions = actions;
    this.clock = clock;
  }

  public void page(List<RemoteFile> entries) {
    listed += entries.size();
    entries.forEach(recorder::observe);
    if (previous == null) return;
    List<ListingDecisions.Decision> decisions = ListingDecisions.decide(rule, listing, context, listing.now(), entries,
        previous, key -> taken.find(destinationId, hostId, key).map(AcquiredFiles.Taken::known).orElse(null));
    for (ListingDecisions.Decision d : decisions) {
      if (!d.act()) continue;
      Registration r = d.registration();
      try {
        if (r.action() == AcquisitionOptions.Action.DELETE) {
          toDelete.add(r);
          continue;
        }
        boolean requeue = d.requeue() == Requeue.Decision.REQUEUE;
        long id = actions.register(r, requeue);
        taken.record(destinationId, hostId, r.key(),
            new AcquiredFiles.Taken(r.size(), r.modifiedMillis(), id, clock.millis()));
        if (requeue) requeued++; else registered++;
      } catch (Exception e) {
        failed++; // left for the next run: no row was written, the listing still shows it
      }
    }
  }

  /**
   * The listing completed: the action=delete files are deleted, and the listing becomes the previous
   * one for the next run's stability check. A listing that fails half way deletes nothing.
   */
  public Counts finish() {
    for (Registration r : toDelete) {
      try {
        actions.delete(r);
        deleted++;
      } catch (Exception e) {
        failed++; // still listed, still stable: the next run tries again
      }
    }
    toDelete.clear();
    recorder.commit();
    return new Counts(listed, registered, requeued, deleted, failed);
  }
}
