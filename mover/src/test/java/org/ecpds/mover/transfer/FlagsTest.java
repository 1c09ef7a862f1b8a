package org.ecpds.mover.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.ecpds.mover.transfer.s3.S3ModuleFactory;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.junit.jupiter.api.Test;

class FlagsTest {
  @Test
  void everyModuleReadsYesNoTheSameWay() {
    for (String t : new String[] {"true", "YES", "on", "1", " y "}) assertThat(Flags.of(t)).as(t).isTrue();
    for (String f : new String[] {"false", "No", "OFF", "0", "n"}) assertThat(Flags.of(f)).as(f).isFalse();
    assertThatThrownBy(() -> Flags.of("maybe")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maybe");
  }

  @Test
  void aBadFlagFailsTheConnectInsteadOfMeaningFalse() {
    HostSpec host = HostSpec.newBuilder().setTransferMethod("s3").setAddress("127.0.0.1").setPort(9)
        .putOptions("s3.mkBucket", "sure").build();
    try (S3ModuleFactory f = new S3ModuleFactory(); TransferModule m = f.create()) {
      assertThatThrownBy(() -> m.connect(host, host.getOptionsMap())).isInstanceOf(TransferException.class)
          .satisfies(e -> assertThat(((TransferException) e).kind()).isEqualTo(ErrorKind.PROTOCOL))
          .hasMessageContaining("sure");
    }
  }
}
