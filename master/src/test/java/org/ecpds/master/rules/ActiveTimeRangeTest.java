package org.ecpds.master.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ActiveTimeRangeTest {
  private static Instant at(String utc) {
    return Instant.parse("2024-03-05T" + utc + "Z");
  }

  @Test
  void daytimeWindows() {
    ActiveTimeRange r = ActiveTimeRange.parse("06:00-18:00, 20:00-22:00");
    assertThat(r.isOpen(at("05:59:59"))).isFalse();
    assertThat(r.isOpen(at("06:00:00"))).isTrue();
    assertThat(r.isOpen(at("17:59:59"))).isTrue();
    assertThat(r.isOpen(at("18:00:00"))).isFalse();
    assertThat(r.isOpen(at("21:30:00"))).isTrue();
    assertThat(r.isOpen(at("22:00:00"))).isFalse();
    assertThat(r.nextOpening(at("03:00:00"))).isEqualTo(at("06:00:00"));
    assertThat(r.nextOpening(at("10:00:00"))).isEqualTo(at("10:00:00"));
    assertThat(r.nextOpening(at("19:00:00"))).isEqualTo(at("20:00:00"));
    assertThat(r.nextOpening(at("23:00:00"))).isEqualTo(Instant.parse("2024-03-06T06:00:00Z"));
    assertThat(r).hasToString("06:00-18:00,20:00-22:00");
  }

  @Test
  void windowCrossingMidnight() {
    ActiveTimeRange r = ActiveTimeRange.parse("22:00-02:00");
    assertThat(r.isOpen(at("23:00:00"))).isTrue();
    assertThat(r.isOpen(at("01:59:00"))).isTrue();
    assertThat(r.isOpen(at("02:00:00"))).isFalse();
    assertThat(r.isOpen(at("21:59:59"))).isFalse();
    assertThat(r.nextOpening(at("02:00:00"))).isEqualTo(at("22:00:00"));
    assertThat(r.nextOpening(at("00:30:00"))).isEqualTo(at("00:30:00"));
  }

  @Test
  void wholeDayAndEndOfDay() {
    assertThat(ActiveTimeRange.parse("00:00-24:00").isOpen(at("23:59:59"))).isTrue();
    ActiveTimeRange evening = ActiveTimeRange.parse("18:00-24:00");
    assertThat(evening.isOpen(at("23:59:59"))).isTrue();
    assertThat(evening.isOpen(at("00:00:00"))).isFalse();
  }

  @Test
  void emptyIsAlways() {
    assertThat(ActiveTimeRange.parse("")).isSameAs(ActiveTimeRange.ALWAYS);
    assertThat(ActiveTimeRange.parse(null).isOpen(at("03:00:00"))).isTrue();
    assertThat(ActiveTimeRange.ALWAYS.nextOpening(at("03:00:00"))).isEqualTo(at("03:00:00"));
    assertThat(ActiveTimeRange.ALWAYS.isAlways()).isTrue();
  }

  @Test
  void zone() {
    // 2024-03-31: Europe/Paris goes from UTC+1 to UTC+2 at 02:00 local.
    ActiveTimeRange r = ActiveTimeRange.parse("08:00-09:00", ZoneId.of("Europe/Paris"));
    assertThat(r.isOpen(Instant.parse("2024-03-30T07:30:00Z"))).isTrue();
    assertThat(r.isOpen(Instant.parse("2024-03-31T07:30:00Z"))).isFalse();
    assertThat(r.nextOpening(Instant.parse("2024-03-30T09:00:00Z"))).isEqualTo(Instant.parse("2024-03-31T06:00:00Z"));
  }

  @Test
  void badText() {
    assertThatThrownBy(() -> ActiveTimeRange.parse("6-18")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid active time range '6-18' in '6-18' (use HH:mm-HH:mm");
    assertThatThrownBy(() -> ActiveTimeRange.parse("06:00-18:00,")).hasMessageStartingWith("invalid active time range ''");
    assertThatThrownBy(() -> ActiveTimeRange.parse("06:00-25:00")).hasMessage("invalid time 25:00 in active time range '06:00-25:00'");
    assertThatThrownBy(() -> ActiveTimeRange.parse("24:00-02:00")).hasMessage("invalid time 24:00 in active time range '24:00-02:00'");
    assertThatThrownBy(() -> ActiveTimeRange.parse("06:60-07:00")).hasMessageStartingWith("invalid time 06:60");
    assertThatThrownBy(() -> ActiveTimeRange.parse("06:00-06:00")).hasMessage("active time range '06:00-06:00' is empty: start and end are the same");
  }
}
