package org.ecpds.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration boundary: bad values are refused at start naming the key, never read as a default. */
class ConfigTest {
  @TempDir Path tmp;

  private static Config of(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
    return new Config(p, Map.of());
  }

  @Test
  void numbersOutsideTheirBoundsNameTheKeyAndTheBounds() {
    assertThatThrownBy(() -> of("master.rest.port", "99999").getPort("master.rest.port", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(
            "configuration key master.rest.port must be between -1 and 65535, not 99999");
    assertThatThrownBy(() -> of("mover.maxTransfers", "-1").getInt("mover.maxTransfers", 8, 1, 10))
        .hasMessageContaining("mover.maxTransfers must be between 1 and 10");
    assertThatThrownBy(() -> of("n", "12x").getInt("n", 1)).hasMessage(
        "configuration key n must be a whole number, not '12x'");
    assertThatThrownBy(() -> of("n", "99999999999").getInt("n", 1)).hasMessageContaining("whole number");
    assertThat(of("p", " 0 ").getPort("p", 5)).isZero();
    assertThat(of().getPort("p", 5)).isEqualTo(5);
    assertThatThrownBy(() -> of("master.port", "0").getRemotePort("master.port", 1))
        .hasMessageContaining("between 1 and 65535");
  }

  @Test
  void booleansAreTrueOrFalseOnly() {
    assertThat(of("b", "TRUE").getBoolean("b", false)).isTrue();
    assertThat(of("b", "false").getBoolean("b", true)).isFalse();
    for (String v : new String[] {"yes", "1", "on", "tru"}) {
      assertThatThrownBy(() -> of("b", v).getBoolean("b", false)).as(v)
          .hasMessage("configuration key b must be true or false, not '" + v + "'");
    }
  }

  @Test
  void durationsNameTheKey() {
    assertThat(of("d", "1w2d").getDuration("d", Duration.ZERO)).isEqualTo(Duration.ofDays(9));
    assertThatThrownBy(() -> of("d", "9999999999999d").getDuration("d", Duration.ZERO))
        .hasMessageStartingWith("configuration key d: ").hasMessageContaining("too large");
    assertThatThrownBy(() -> of("d", "5 minutes").getDuration("d", Duration.ZERO))
        .hasMessageStartingWith("configuration key d: invalid duration");
  }

  @Test
  void environmentOverridesTheFile() {
    Properties p = new Properties();
    p.setProperty("master.grpc.port", "1");
    Config c = new Config(p, Map.of("ECPDS_MASTER_GRPC_PORT", "2"));
    assertThat(c.getPort("master.grpc.port", 3)).isEqualTo(2);
  }

  @Test
  void keysNoComponentReadAreReportedAcrossCopies() throws Exception {
    Path file = tmp.resolve("x.properties");
    Files.writeString(file, "master.rest.port=1\nmaster.rest.prot=2\nmover.name=m\n");
    Config c = Config.load(file);
    c.getPort("master.rest.port", 0);
    c.copy().get("mover.name", null);
    assertThat(c.unreadKeys()).containsExactly("master.rest.prot");
  }

  @Test
  void anUnreadableFileIsAClearError() {
    assertThatThrownBy(() -> Config.load(tmp.resolve("missing.properties")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read configuration file");
  }
}
