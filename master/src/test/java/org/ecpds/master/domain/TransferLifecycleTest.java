package org.ecpds.master.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ecpds.master.domain.TransferStatus.*;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TransferLifecycleTest {
  @Test
  void initialStatusIsStandByWithoutEnabledHostsOrWhenAsked() {
    assertThat(TransferLifecycle.initialStatus(false, true)).isEqualTo(WAIT);
    assertThat(TransferLifecycle.initialStatus(true, true)).isEqualTo(HOLD);
    assertThat(TransferLifecycle.initialStatus(false, false)).isEqualTo(HOLD);
    // requeue follows the same rule (it was coded twice and disagreed)
    assertThat(TransferLifecycle.requeuedStatus(false)).isEqualTo(HOLD);
    assertThat(TransferLifecycle.requeuedStatus(true)).isEqualTo(WAIT);
  }

  @Test
  void everyStatusIsReachableAndFailIsReachedFromTransferringAndInterrupted() {
    EnumSet<TransferStatus> reached = EnumSet.of(INIT);
    for (TransferStatus from : TransferStatus.values()) {
      for (TransferStatus to : TransferStatus.values()) if (TransferLifecycle.allowed(from, to)) reached.add(to);
    }
    assertThat(reached).containsExactlyInAnyOrder(TransferStatus.values());
    assertThat(TransferLifecycle.allowed(EXEC, FAIL)).isTrue();
    assertThat(TransferLifecycle.allowed(INTR, FAIL)).isTrue();
  }

  @Test
  void aPortalUserMayDeleteADeliveredFileButOperatorsStillOnlyRequeueIt() {
    assertThat(TransferLifecycle.allowed(DONE, STOP)).isTrue();
    assertThat(TransferLifecycle.actions(DONE)).containsExactly(TransferAction.REQUEUE);
    assertThat(TransferLifecycle.visibleToPortal(STOP)).as("a deleted file is not listed").isFalse();
  }

  @Test
  void illegalChangesAreProgrammingErrors() {
    assertThat(TransferLifecycle.allowed(DONE, EXEC)).isFalse();
    assertThat(TransferLifecycle.allowed(WAIT, DONE)).isFalse();
    assertThat(TransferLifecycle.allowed(HOLD, EXEC)).isFalse();
    assertThatThrownBy(() -> TransferLifecycle.check(STOP, EXEC)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("STOP -> EXEC");
  }

  @Test
  void actionsFollowTheStatus() {
    // the monitor offered requeue on EXEC (refused) and hid stop on FAIL (allowed): one table now
    assertThat(TransferLifecycle.actions(EXEC)).containsExactly(TransferAction.STOP);
    assertThat(TransferLifecycle.actions(FAIL)).contains(TransferAction.STOP, TransferAction.REQUEUE);
    assertThat(TransferLifecycle.actions(HOLD)).contains(TransferAction.RELEASE).doesNotContain(TransferAction.REQUEUE);
    assertThat(TransferLifecycle.actions(DONE)).containsExactly(TransferAction.REQUEUE);
    assertThat(TransferLifecycle.actions(WAIT)).contains(TransferAction.PRIORITY).doesNotContain(TransferAction.REQUEUE);
    assertThatThrownBy(() -> TransferLifecycle.require(7, EXEC, TransferAction.REQUEUE))
        .isInstanceOf(ConflictException.class).hasMessageContaining("Transferring");
  }

  @Test
  void everyActionLeadsToAnAllowedChange() {
    for (TransferStatus s : TransferStatus.values()) {
      for (TransferAction a : TransferLifecycle.actions(s)) {
        switch (a) {
          case REQUEUE -> assertThat(TransferLifecycle.allowed(s, WAIT) && TransferLifecycle.allowed(s, HOLD))
              .as("requeue from " + s).isTrue();
          case STOP -> assertThat(TransferLifecycle.allowed(s, STOP)).as("stop from " + s).isTrue();
          case RELEASE -> assertThat(TransferLifecycle.allowed(s, WAIT)).as("release from " + s).isTrue();
          case PRIORITY -> assertThat(s).isNotIn(EXEC, DONE);
        }
      }
    }
  }

  @Test
  void portalSeesDeliverableFilesOnly() {
    assertThat(TransferLifecycle.visibleToPortal(HOLD)).isTrue();
    assertThat(TransferLifecycle.visibleToPortal(DONE)).isTrue();
    assertThat(TransferLifecycle.visibleToPortal(STOP)).isFalse();
    assertThat(TransferLifecycle.visibleToPortal(INIT)).isFalse();
  }

  @Test
  void destinationActionsFollowItsDispatchState() {
    Destination active = new Destination(1, "D", "", true, 1, 0, 0, 3, Destination.NEXT_AND_RETRY, 0, 0, 0, 0, 0, 0,
        Destination.OVERWRITE, Destination.ON_EXPIRATION, "", Destination.ACTIVE, "");
    assertThat(DestinationAction.allowed(active)).contains(DestinationAction.HOLD, DestinationAction.STOP)
        .doesNotContain(DestinationAction.RELEASE, DestinationAction.RESTART);
    Destination held = active.withDispatchState(Destination.HELD, "admin");
    assertThat(DestinationAction.allowed(held)).contains(DestinationAction.RELEASE).doesNotContain(DestinationAction.HOLD);
    assertThat(DestinationState.of(held, true, true, 0, 0)).isEqualTo(DestinationState.HOLD);
    assertThat(DestinationState.HOLD.labelFor(held)).isEqualTo("Failed-admin");
    assertThat(DestinationState.of(active, false, true, 0, 0)).isEqualTo(DestinationState.FAIL);
    assertThat(DestinationState.of(active, true, false, 0, 0)).isEqualTo(DestinationState.SCHE);
    assertThat(DestinationState.of(active, true, true, 2, 0)).isEqualTo(DestinationState.EXEC);
    assertThatThrownBy(() -> DestinationAction.RELEASE.requireAllowed(active)).isInstanceOf(ConflictException.class);
  }
}
