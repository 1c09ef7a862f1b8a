package org.ecpds.master.domain;

import static org.ecpds.master.domain.TransferStatus.DONE;
import static org.ecpds.master.domain.TransferStatus.EXEC;
import static org.ecpds.master.domain.TransferStatus.FAIL;
import static org.ecpds.master.domain.TransferStatus.FETC;
import static org.ecpds.master.domain.TransferStatus.HOLD;
import static org.ecpds.master.domain.TransferStatus.INIT;
import static org.ecpds.master.domain.TransferStatus.INTR;
import static org.ecpds.master.domain.TransferStatus.RETR;
import static org.ecpds.master.domain.TransferStatus.SCHE;
import static org.ecpds.master.domain.TransferStatus.STOP;
import static org.ecpds.master.domain.TransferStatus.WAIT;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The transfer lifecycle, in one place: the status a new transfer starts in, every allowed status
 * change, the operator actions each status allows and what the portal sees. The store refuses any
 * other change (a programming error, not a user error), and every adapter asks here instead of
 * re-stating a rule.
 */
public final class TransferLifecycle {
  private static final Map<TransferStatus, Set<TransferStatus>> NEXT = new EnumMap<>(TransferStatus.class);
  private static final Map<TransferStatus, Set<TransferAction>> ACTIONS = new EnumMap<>(TransferStatus.class);
  private static final Set<TransferStatus> PORTAL_VISIBLE = EnumSet.of(HOLD, WAIT, EXEC, RETR, DONE);

  static {
    // push: Arriving -> Queued | StandBy; fetch: Arriving -> Preset -> Fetching -> Queued | StandBy
    NEXT.put(INIT, EnumSet.of(SCHE, WAIT, HOLD, STOP));
    NEXT.put(SCHE, EnumSet.of(FETC, STOP));
    NEXT.put(FETC, EnumSet.of(WAIT, HOLD, SCHE, FAIL, STOP, INTR));
    // StandBy: released, downloaded through the portal, or stopped
    NEXT.put(HOLD, EnumSet.of(WAIT, DONE, STOP));
    // Queued: started, stopped, or parked when the destination has no host left
    NEXT.put(WAIT, EnumSet.of(EXEC, STOP, HOLD));
    // Transferring: done, failed over or retried later, failed for good, stopped, interrupted
    NEXT.put(EXEC, EnumSet.of(DONE, RETR, FAIL, STOP, INTR));
    NEXT.put(RETR, EnumSet.of(WAIT, STOP, HOLD, FAIL));
    NEXT.put(INTR, EnumSet.of(WAIT, HOLD, FAIL, STOP));
    // finished states only move again by an operator's requeue (or a stop of a failed one); a file
    // never fetched goes back to Preset (SCHE), to be fetched again
    NEXT.put(FAIL, EnumSet.of(WAIT, HOLD, SCHE, STOP));
    NEXT.put(STOP, EnumSet.of(WAIT, HOLD, SCHE));
    // a delivered file leaves the portal when its user deletes it or a newer upload replaces it
    NEXT.put(DONE, EnumSet.of(WAIT, HOLD, STOP));

    ACTIONS.put(INIT, EnumSet.of(TransferAction.STOP, TransferAction.PRIORITY));
    ACTIONS.put(SCHE, EnumSet.of(TransferAction.STOP, TransferAction.PRIORITY));
    ACTIONS.put(FETC, EnumSet.of(TransferAction.STOP));
    ACTIONS.put(HOLD, EnumSet.of(TransferAction.RELEASE, TransferAction.STOP, TransferAction.PRIORITY));
    ACTIONS.put(WAIT, EnumSet.of(TransferAction.STOP, TransferAction.PRIORITY));
    ACTIONS.put(EXEC, EnumSet.of(TransferAction.STOP));
    ACTIONS.put(RETR, EnumSet.of(TransferAction.REQUEUE, TransferAction.STOP, TransferAction.PRIORITY));
    ACTIONS.put(INTR, EnumSet.of(TransferAction.REQUEUE, TransferAction.STOP, TransferAction.PRIORITY));
    ACTIONS.put(FAIL, EnumSet.of(TransferAction.REQUEUE, TransferAction.STOP, TransferAction.PRIORITY));
    ACTIONS.put(STOP, EnumSet.of(TransferAction.REQUEUE, TransferAction.PRIORITY));
    ACTIONS.put(DONE, EnumSet.of(TransferAction.REQUEUE));
  }

  private TransferLifecycle() {}

  /**
   * The first status of a transfer whose content is stored: StandBy when asked for, or when the
   * destination has no enabled dissemination host (a portal "bucket"); Queued otherwise.
   */
  public static TransferStatus initialStatus(boolean standby, boolean hasEnabledDisseminationHost) {
    return standby || !hasEnabledDisseminationHost ? HOLD : WAIT;
  }

  /** Where a requeued or released transfer goes: the same rule as for a new one, without standby. */
  public static TransferStatus requeuedStatus(boolean hasEnabledDisseminationHost) {
    return initialStatus(false, hasEnabledDisseminationHost);
  }

  public static boolean allowed(TransferStatus from, TransferStatus to) {
    return NEXT.getOrDefault(from, Set.of()).contains(to);
  }

  /** Throws for a change the lifecycle does not have: the caller has a bug. */
  public static void check(TransferStatus from, TransferStatus to) {
    if (!allowed(from, to)) throw new IllegalStateException("illegal transfer status change " + from + " -> " + to);
  }

  public static Set<TransferAction> actions(TransferStatus status) {
    Set<TransferAction> a = ACTIONS.get(status);
    return a == null ? EnumSet.noneOf(TransferAction.class) : EnumSet.copyOf(a);
  }

  public static boolean allows(TransferStatus status, TransferAction action) {
    return ACTIONS.getOrDefault(status, Set.of()).contains(action);
  }

  /** Refuses an action the status does not allow, in the operator's words. */
  public static void require(long transferId, TransferStatus status, TransferAction action) {
    if (!allows(status, action)) {
      throw new ConflictException("transfer " + transferId + " is " + status.label() + " (" + status
          + "): " + action.wireName() + " is not possible now");
    }
  }

  /** Statuses the scheduler holds in memory (queued, running, waiting to retry); also what Max Pending counts. */
  public static java.util.List<String> pendingCodes() {
    return java.util.List.of(WAIT.name(), EXEC.name(), RETR.name());
  }

  /** Statuses whose files the portal lists and serves. */
  public static boolean visibleToPortal(TransferStatus status) {
    return PORTAL_VISIBLE.contains(status);
  }

  public static Set<TransferStatus> portalVisible() {
    return EnumSet.copyOf(PORTAL_VISIBLE);
  }
}
