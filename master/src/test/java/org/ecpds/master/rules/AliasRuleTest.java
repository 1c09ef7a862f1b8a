package org.ecpds.master.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AliasRuleTest {
  private static final Instant NOW = Instant.parse("2024-03-05T07:08:09Z");

  private static Optional<AliasOverride> eval(String spec, String target) {
    return eval(spec, target, Map.of());
  }

  private static Optional<AliasOverride> eval(String spec, String target, Map<String, String> metadata) {
    return AliasRule.parse(spec).evaluate(target, metadata, "src", "copy", NOW);
  }

  @Test
  void emptyRuleCopiesEverythingUnchanged() {
    assertThat(eval("", "a/b.grib")).contains(new AliasOverride("a/b.grib", null, null, null, null, null));
    assertThat(AliasRule.parse(null)).isSameAs(AliasRule.UNCONDITIONAL);
  }

  @Test
  void patternAndIgnoreSelect() {
    String spec = "pattern=.*\\.grib;ignore=tmp/.*";
    assertThat(eval(spec, "a/b.grib")).isPresent();
    assertThat(eval(spec, "a/b.grib2")).isEmpty();
    assertThat(eval(spec, "tmp/b.grib")).isEmpty();
  }

  @Test
  void overridesAndRewrite() {
    AliasOverride o = eval("pattern=.*\\.grib;priority=10;lifetime=1d;asap=yes;delay=2h;event=no;target=$destination/$alias/$name",
        "x/y/b.grib").orElseThrow();
    assertThat(o).isEqualTo(new AliasOverride("src/copy/b.grib", 10, Duration.ofDays(1), true, Duration.ofHours(2), false));
  }

  @Test
  void settingsMaySpreadOverLines() {
    AliasOverride o = eval("pattern=.*\n# a comment\n\npriority=3\nlifetime=PT15M", "f").orElseThrow();
    assertThat(o.priority()).isEqualTo(3);
    assertThat(o.lifetime()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void firstMatchingConditionalLineIsLaidOverTheBase() {
    String spec = """
        priority=50;lifetime=2d
        (== {.*\\.grib}) priority=5;target=$parent/grib/$name
        (=. .grib) priority=6
        (.= obs/)(!= obs/skip) priority=7;asap=yes
        """;
    assertThat(eval(spec, "a/b.grib")).contains(new AliasOverride("a/grib/b.grib", 5, Duration.ofDays(2), null, null, null));
    assertThat(eval(spec, "b.grib").orElseThrow().target()).isEqualTo("grib/b.grib");
    assertThat(eval(spec, "obs/x").orElseThrow().priority()).isEqualTo(7);
    assertThat(eval(spec, "obs/skip").orElseThrow().priority()).isEqualTo(50);
    assertThat(eval(spec, "other")).contains(new AliasOverride("other", 50, Duration.ofDays(2), null, null, null));
  }

  @Test
  void conditionalLineCanNarrowTheSelection() {
    String spec = "(.= tmp/) ignore=.*";
    assertThat(eval(spec, "tmp/a")).isEmpty();
    assertThat(eval(spec, "a")).isPresent();
  }

  @Test
  void conditionOnAVariable() {
    assertThat(eval("($metadata[stream]==enfo) priority=1", "f", Map.of("stream", "enfo")).orElseThrow().priority()).isEqualTo(1);
    assertThat(eval("($name=={b.*}) priority=2", "a/bz").orElseThrow().priority()).isEqualTo(2);
  }

  @Test
  void metadataSelects() {
    String spec = "metadata=stream:oper|enfo;target=$metadata[stream]/$path";
    assertThat(eval(spec, "a/f", Map.of("stream", "enfo")).orElseThrow().target()).isEqualTo("enfo/a/f");
    assertThat(eval(spec, "a/f", Map.of("stream", "waef"))).isEmpty();
    assertThat(eval(spec, "a/f")).isEmpty();
  }

  @Test
  void dateInTheTarget() {
    assertThat(eval("target=$date/$name", "a/f").orElseThrow().target()).isEqualTo("20240305/f");
    assertThat(eval("dateformat=yyyy/MM;datedelta=-5d;target=$date/$name", "a/f").orElseThrow().target()).isEqualTo("2024/02/f");
    assertThat(eval("datesource=$target[2..12];datepattern=yyyyMMddHH;dateformat=yyyyMMdd/HH;target=$date/$path", "X_2023123118.grib")
        .orElseThrow().target()).isEqualTo("20231231/18/X_2023123118.grib");
    assertThat(eval("dateformat=yyyy;target=$date[dateformat=MM]-$date/$name", "f").orElseThrow().target()).isEqualTo("03-2024/f");
  }

  @Test
  void unreadableSourceDateIsAnError() {
    assertThatThrownBy(() -> eval("datesource=$target[0..8];target=$date/$name", "abcdefgh.grib"))
        .hasMessage("cannot read a date from 'abcdefgh' with datepattern yyyyMMdd");
  }

  @Test
  void rewrittenTargetMustStayRelative() {
    assertThatThrownBy(() -> eval("target=/abs/$name", "f")).hasMessage("alias target '/abs/$name' gives '/abs/f' for 'f', which must not start with '/'");
    assertThatThrownBy(() -> eval("target=$metadata[d]/$name", "f", Map.of("d", ".."))).hasMessageEndingWith("which must not contain a '..' segment");
    assertThatThrownBy(() -> eval("target=a/$metadata[d]/$name", "f", Map.of("d", ""))).hasMessageEndingWith("has an empty segment ('//' or a trailing '/')");
    assertThatThrownBy(() -> eval("target=$path/", "f")).hasMessageEndingWith("has an empty segment ('//' or a trailing '/')");
    assertThatThrownBy(() -> eval("target=x/$metadata[d]", "f")).hasMessage("the data file has no metadata 'd'");
  }

  @Test
  void parseErrorsNameTheLineAndKey() {
    assertProblem("pattern=.*\npriority=100", "line 2: priority must be a whole number from 0 to 99, not '100'");
    assertProblem("colour=red", "line 1: unknown key 'colour'");
    assertProblem("pattern=(", "line 1: pattern: bad regex {(}");
    assertProblem("asap=maybe", "line 1: asap must be yes or no, not 'maybe'");
    assertProblem("delay=soon", "line 1: delay must be a duration");
    assertProblem("priority=1;priority=2", "line 1: 'priority' is given twice");
    assertProblem("priority=1\n\npriority=2", "line 3: 'priority' is already set on line 1");
    assertProblem("target=$foo/$name", "line 1: unknown variable $foo");
    assertProblem("target=$name[1]", "line 1: $name[1]: $name takes no [...]");
    assertProblem("dateformat=bbb", "line 1: bad dateformat 'bbb'");
    assertProblem("datepattern=yyyy", "line 1: datepattern needs a datesource");
    assertProblem("x", "line 1: expected key=value, found 'x'");
    assertProblem("metadata=stream", "line 1: metadata must be key:regex");
    assertProblem("priority=1\n(~= a) priority=2", "line 2: expected one of == != .= =.");
    assertProblem("(== {a(}) priority=2", "line 1: bad regex {a(}");
    assertProblem("($nope==a) priority=2", "line 1: unknown variable $nope");
  }

  private static void assertProblem(String spec, String message) {
    assertThatThrownBy(() -> AliasRule.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }
}
