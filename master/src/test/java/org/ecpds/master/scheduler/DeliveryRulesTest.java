package org.ecpds.master.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.ecpds.master.domain.Destination;
import org.ecpds.proto.ErrorKind;
import org.junit.jupiter.api.Test;

class DeliveryRulesTest {
  private static Destination d(int maxStart, long startFreq, int maxRequeue, int retryCount, String onFailure,
      long reset) {
    return new Destination(1, "D", "", true, 2, retryCount, 60_000, maxRequeue, onFailure, 0, maxStart, startFreq, 0,
        0, reset, Destination.OVERWRITE, Destination.ON_EXPIRATION, "", Destination.ACTIVE, "");
  }

  @Test
  void theWindowIsConnectionsTimesBatchAndTheSessionCapTheSmallerLimit() {
    assertThat(DeliveryRules.inFlight(8, 1)).isEqualTo(8);
    assertThat(DeliveryRules.inFlight(8, 16)).isEqualTo(128);
    assertThat(DeliveryRules.inFlight(0, 4)).as("at least one connection").isEqualTo(4);
    assertThat(DeliveryRules.inFlight(Integer.MAX_VALUE, 2)).as("no overflow").isEqualTo(Integer.MAX_VALUE);
    assertThat(DeliveryRules.sessions(8, 0)).as("host without a cap").isEqualTo(8);
    assertThat(DeliveryRules.sessions(8, 3)).isEqualTo(3);
    assertThat(DeliveryRules.sessions(2, 5)).isEqualTo(2);
  }

  @Test
  void failsOverToTheNextHostAtOnce() {
    var r = DeliveryRules.afterFailure(d(0, 0, 3, 0, Destination.NEXT_AND_RETRY, 0), ErrorKind.NETWORK, 0, 2, 1, 0,
        1000);
    assertThat(r).isEqualTo(new DeliveryRules.FailOver(1));
  }

  @Test
  void lastHostFailedRetriesOnThePrimaryAfterRetryFrequency() {
    var r = DeliveryRules.afterFailure(d(0, 0, 3, 0, Destination.NEXT_AND_RETRY, 0), ErrorKind.NETWORK, 1, 2, 2, 0,
        1000);
    assertThat(r).isInstanceOf(DeliveryRules.RetryLater.class);
    var l = (DeliveryRules.RetryLater) r;
    assertThat(l.dueMs()).isEqualTo(61_000);
    assertThat(l.hostIndex()).isZero();
  }

  @Test
  void maxRequeueFailsTheTransfer() {
    var r = DeliveryRules.afterFailure(d(0, 0, 2, 0, Destination.NEXT_AND_RETRY, 0), ErrorKind.NETWORK, 0, 1, 3, 2, 0);
    assertThat(r).isInstanceOf(DeliveryRules.Failed.class);
    assertThat(DeliveryRules.interruptedFails(d(0, 0, 2, 0, Destination.NEXT_AND_RETRY, 0), 2)).isTrue();
    assertThat(DeliveryRules.interruptedFails(d(0, 0, 2, 0, Destination.NEXT_AND_RETRY, 0), 1)).isFalse();
  }

  @Test
  void maxStartPausesForStartFrequencyEvenWithAnotherHost() {
    Destination dest = d(2, 300_000, 9, 0, Destination.NEXT_AND_RETRY, 0);
    assertThat(DeliveryRules.afterFailure(dest, ErrorKind.NETWORK, 0, 3, 1, 0, 0))
        .isEqualTo(new DeliveryRules.FailOver(1));
    var second = DeliveryRules.afterFailure(dest, ErrorKind.NETWORK, 1, 3, 2, 0, 5_000);
    assertThat(second).isInstanceOf(DeliveryRules.RetryLater.class);
    assertThat(((DeliveryRules.RetryLater) second).dueMs()).isEqualTo(305_000);
    assertThat(((DeliveryRules.RetryLater) second).hostIndex()).isEqualTo(2);
  }

  @Test
  void errorsAWaitCannotCureStopOnceEveryHostWasTried() {
    Destination dest = d(0, 0, 3, 0, Destination.NEXT_AND_RETRY, 0);
    assertThat(DeliveryRules.afterFailure(dest, ErrorKind.AUTHENTICATION, 0, 2, 1, 0, 0))
        .isEqualTo(new DeliveryRules.FailOver(1));
    assertThat(DeliveryRules.afterFailure(dest, ErrorKind.AUTHENTICATION, 1, 2, 2, 0, 0))
        .isInstanceOf(DeliveryRules.Stopped.class);
    // a local error is the mover's, not the host's: no failover
    assertThat(DeliveryRules.afterFailure(dest, ErrorKind.LOCAL, 0, 2, 1, 0, 0))
        .isInstanceOf(DeliveryRules.RetryLater.class);
  }

  @Test
  void retryCountHoldsTheDestination() {
    assertThat(DeliveryRules.holdDestination(d(0, 0, 3, 3, Destination.NEXT_AND_RETRY, 0), 2)).isFalse();
    assertThat(DeliveryRules.holdDestination(d(0, 0, 3, 3, Destination.NEXT_AND_RETRY, 0), 3)).isTrue();
    assertThat(DeliveryRules.holdDestination(d(0, 0, 3, 0, Destination.NEXT_AND_RETRY, 0), 100)).isFalse();
  }

  @Test
  void nextAndStaySticksUntilResetFrequencyThenReturnsToThePrimary() {
    Destination stay = d(0, 0, 3, 0, Destination.NEXT_AND_STAY, 600_000);
    assertThat(DeliveryRules.startHost(stay, 1, 1_000, 2, 500_000)).isEqualTo(1);
    assertThat(DeliveryRules.startHost(stay, 1, 1_000, 2, 601_000)).isZero();
    Destination retry = d(0, 0, 3, 0, Destination.NEXT_AND_RETRY, 600_000);
    assertThat(DeliveryRules.startHost(retry, 1, 1_000, 2, 2_000)).isZero();
    Destination noReset = d(0, 0, 3, 0, Destination.NEXT_AND_STAY, 0);
    assertThat(DeliveryRules.startHost(noReset, 1, 0, 2, Long.MAX_VALUE / 2)).isEqualTo(1);
  }
}
