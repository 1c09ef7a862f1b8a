package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** scripts/ecpds records its class-data archive from this push; a failing one would record nothing useful. */
class StartupTrainingTest {
  @Test
  void theTrainingPushGoesThroughTheWholePushPath() throws Exception {
    assertThat(StartupTraining.push()).isZero();
  }
}
