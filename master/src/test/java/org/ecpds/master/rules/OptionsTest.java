package org.ecpds.master.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {
  private static final String TEXT = """
      # dissemination options
      scheduler.activeTimeRange = "06:00-18:00,20:00-22:00"
      scheduler.asap = yes
        scheduler.delay = "2h"

      alias.pattern = "pattern=.*\\.grib;priority=5
      (== {.*\\.bufr}) priority=7"
      mqtt.payload = "say \\"hi\\"" # trailing comment
      incoming.priority=10
      ###### END-OF-PROPERTIES ######
      this = is ignored
      not even a key
      """;

  @Test
  void readsQuotedUnquotedAndMultiLineValues() {
    Options o = Options.parse(TEXT);
    assertThat(o.string("scheduler.activeTimeRange")).contains("06:00-18:00,20:00-22:00");
    assertThat(o.string("scheduler.delay", null)).isEqualTo("2h");
    assertThat(o.string("alias.pattern")).contains("pattern=.*\\.grib;priority=5\n(== {.*\\.bufr}) priority=7");
    assertThat(o.string("mqtt.payload")).contains("say \"hi\"");
    assertThat(o.string("incoming.priority")).contains("10");
    assertThat(o.has("this")).isFalse();
    assertThat(o.keys()).containsExactly("scheduler.activeTimeRange", "scheduler.asap", "scheduler.delay",
        "alias.pattern", "mqtt.payload", "incoming.priority");
  }

  @Test
  void keysIgnoreCase() {
    Options o = Options.parse(TEXT);
    assertThat(o.bool("SCHEDULER.ASAP", false)).isTrue();
    assertThat(o.string("scheduler.activetimerange")).isPresent();
  }

  @Test
  void emptyTextHasNoOptions() {
    assertThat(Options.parse(null).keys()).isEmpty();
    assertThat(Options.parse("  \n# only a comment\n").keys()).isEmpty();
    assertThat(Options.parse("a =").string("a")).contains("");
  }

  @Test
  void booleans() {
    Options o = Options.parse("a = yes\nb = \"No\"\nc = TRUE\nd = false\ne = 1");
    assertThat(o.bool("a", false)).isTrue();
    assertThat(o.bool("b", true)).isFalse();
    assertThat(o.bool("c", false)).isTrue();
    assertThat(o.bool("d", true)).isFalse();
    assertThat(o.bool("missing", true)).isTrue();
    assertThatThrownBy(() -> o.bool("E", false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option e: '1' is not yes, no, true or false");
  }

  @Test
  void durations() {
    Options o = Options.parse("a = 500ms\nb = 2d\nc = PT15M\nd = 1w2d\ne = 90\nf = soon\ng = PTx");
    assertThat(o.duration("a", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(o.duration("b", null)).isEqualTo(Duration.ofDays(2));
    assertThat(o.duration("c", null)).isEqualTo(Duration.ofMinutes(15));
    assertThat(o.duration("d", null)).isEqualTo(Duration.ofDays(9));
    assertThat(o.duration("e", null)).isEqualTo(Duration.ofMillis(90));
    assertThat(o.duration("missing", Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> o.duration("f", null)).hasMessage("option f: 'soon' is not a duration such as 500ms, 30s, 2d or PT15M");
    assertThatThrownBy(() -> o.duration("g", null)).hasMessageStartingWith("option g: 'PTx'");
  }

  @Test
  void integers() {
    Options o = Options.parse("p = 10\nq = 100\nr = ten");
    assertThat(o.integer("p", 0, 99, 99)).isEqualTo(10);
    assertThat(o.integer("missing", 0, 99, 99)).isEqualTo(99);
    assertThatThrownBy(() -> o.integer("q", 0, 99, 99)).hasMessage("option q: '100' is not a whole number from 0 to 99");
    assertThatThrownBy(() -> o.integer("r", 0, 99, 99)).hasMessage("option r: 'ten' is not a whole number from 0 to 99");
  }

  @Test
  void parseErrorsNameTheLine() {
    assertThatThrownBy(() -> Options.parse("a = 1\n\nno equals here")).hasMessage("line 3: expected key = value, found 'no equals here'");
    assertThatThrownBy(() -> Options.parse("a = 1\nb = \"open\nstill open")).hasMessage("line 2: the quoted value of 'b' is never closed");
    assertThatThrownBy(() -> Options.parse("a = \"x\" y")).hasMessage("line 1: unexpected text after the closing quote of 'a': y");
    assertThatThrownBy(() -> Options.parse("a = 1\nA = 2")).hasMessage("line 2: 'A' is already set on line 1");
    assertThatThrownBy(() -> Options.parse("bad key = 1")).hasMessageStartingWith("line 1: expected key = value");
  }
}
