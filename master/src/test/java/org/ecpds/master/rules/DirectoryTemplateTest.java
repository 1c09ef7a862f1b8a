package org.ecpds.master.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DirectoryTemplateTest {
  private static final Instant NOW = Instant.parse("2024-03-05T07:08:09Z");

  private static TemplateContext context(String destination, String target, Map<String, String> metadata) {
    return new TemplateContext(
        new TemplateContext.DataFile(42, "orig/file.grib", "hpc", 1536, Instant.parse("2024-03-04T00:00:00Z"),
            null, null, 6L, "00", "oper", "abc123", metadata),
        new TemplateContext.Transfer(7, target, null, "id-1", 5, null, "WAIT", true),
        new TemplateContext.Destination(destination, "archive copy", "ops@example.org"),
        new TemplateContext.Host("h1", "nick", "ftp.example.org", "bob", null, null, null, null), "ftp", "mover-1", NOW);
  }

  private static String resolve(String template, String destination, String target) {
    return DirectoryTemplate.parse(template).resolve(context(destination, target, Map.of("stream", "enfo")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "$destination/$date", "$destination/$date/", "/data/$destination/$time",
      "$destination/$target", "out/$date/$target", "$target", "fixed", "fixed/", "$destination_$date", "$dates",
      " $destination/$date "})
  void behavesLikeTargetPathsForItsTemplates(String template) {
    for (String target : new String[] {"a.grib", "dir/b.bufr"}) {
      assertThat(DirectoryTemplate.parse(template).resolve(TemplateContext.of("ecmwf", target, NOW)))
          .isEqualTo(legacyResolve(template, "ecmwf", target, NOW));
    }
  }

  /** How ecpds resolved host directories before templates (kept as the oracle of compatibility). */
  private static String legacyResolve(String template, String destination, String target, java.time.Instant when) {
    var date = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd").withZone(java.time.ZoneOffset.UTC);
    var time = java.time.format.DateTimeFormatter.ofPattern("HHmmss").withZone(java.time.ZoneOffset.UTC);
    String t = template == null ? "" : template.trim();
    String resolved = t.replace("$destination", destination).replace("$date", date.format(when))
        .replace("$time", time.format(when));
    if (resolved.contains("$target")) return resolved.replace("$target", target);
    if (resolved.isEmpty()) return target;
    return resolved.endsWith("/") ? resolved + target : resolved + "/" + target;
  }

  @Test
  void nullTemplateIsTheTarget() {
    assertThat(DirectoryTemplate.parse(null).resolve(TemplateContext.of("d", "x/y", NOW))).isEqualTo("x/y");
  }

  @Test
  void resolvesFields() {
    assertThat(resolve("/in/$dataFile[metaStream]/$dataFile[id]/$dataFile[formatSize]/$dataFile[timeStep]", "d", "f"))
        .isEqualTo("/in/oper/42/1.5KB/6/f");
    assertThat(resolve("$dataFile[arrivedTime]/$dataTransfer[id]-$dataTransfer[priority]-$dataTransfer[asap]", "d", "f"))
        .isEqualTo("20240304000000/7-5-yes/f");
    assertThat(resolve("$host[login]@$host[host]/$transferMethod[name]/$moverName/$metadata[stream]/$destination[userMail]", "d", "f"))
        .isEqualTo("bob@ftp.example.org/ftp/mover-1/enfo/ops@example.org/f");
    assertThat(resolve("x/$dataTransfer[path]/$dataTransfer[parent]/$dataTransfer[name]", "d", "a/b/c.grib"))
        .isEqualTo("x/a/b/b/c.grib");
  }

  @Test
  void nullFieldsAreEmpty() {
    assertThat(resolve("x$dataFile[timeBase]y$host[comment]z", "d", "f")).isEqualTo("xyz/f");
  }

  @Test
  void dateOptions() {
    assertThat(resolve("$date[dateformat=yyyy/MM/dd,datedelta=-1d]/", "d", "f")).isEqualTo("2024/03/04/f");
    assertThat(resolve("$date[datesource=$target[2..12],datepattern=yyyyMMddHH,dateformat=yyyy-MM-dd'T'HH]", "d", "A_2023123118_x"))
        .isEqualTo("2023-12-31T18/A_2023123118_x");
    assertThat(resolve("$date[datesource=$target[0..8],datedelta=+1d]", "d", "20240229.grib"))
        .isEqualTo("20240301/20240229.grib");
  }

  @Test
  void targetSlices() {
    assertThat(resolve("$target[0]/$target[2..4]/$target[5..]/", "d", "abcdefgh")).isEqualTo("a/cd/fgh/abcdefgh");
    assertThatThrownBy(() -> resolve("$target[2..40]", "d", "abc"))
        .hasMessageContaining("target 'abc' is too short for the slice [2..40]");
  }

  @Test
  void selectorWithMostMatchingConditionsWins() {
    String t = """
        /default/$destination
        ($destination[name]==archive) /archive/$dataFile[metaStream]/$dataFile[original]
        ($destination[name]==archive)($metadata[stream]=={en.*}) /archive-ens
        ($destination[name].=arch)($metadata[stream]==oper)($dataFile[size]!=0) /never
        """;
    assertThat(resolve(t, "archive", "f")).isEqualTo("/archive-ens/f");
    assertThat(resolve(t, "other", "f")).isEqualTo("/default/other/f");
    assertThat(DirectoryTemplate.parse(t).resolve(context("archive", "f", Map.of())))
        .isEqualTo("/archive/oper/orig/file.grib/f");
  }

  @Test
  void operators() {
    String t = "($destination[name]=.-bk) /bk\n($destination[name].=ec) /ec\n($destination[name]!={x.*}) /notx\n(  $destination[name] == xy ) /xy";
    assertThat(resolve(t, "ec-bk", "f")).isEqualTo("/bk/f");
    assertThat(resolve(t, "ecmwf", "f")).isEqualTo("/ec/f");
    assertThat(resolve(t, "abc", "f")).isEqualTo("/notx/f");
    assertThat(resolve(t, "xy", "f")).isEqualTo("/xy/f");
    assertThatThrownBy(() -> resolve(t, "xz", "f"))
        .hasMessage("no directory line matches transfer 'f' of destination xz and there is no default line");
  }

  @Test
  void tieGoesToTheFirstLine() {
    assertThat(resolve("($destination[name]==a) /one\n($dataTransfer[id]==7) /two", "a", "f")).isEqualTo("/one/f");
  }

  @Test
  void regexWithParenthesesAndBraces() {
    assertThat(resolve("($destination[name]=={(ab){2}}) /yes\n/no", "abab", "f")).isEqualTo("/yes/f");
  }

  @Test
  void commentsAndBlankLinesAreSkipped() {
    assertThat(resolve("# archive\n\n/data\n", "d", "f")).isEqualTo("/data/f");
  }

  @Test
  void missingMetadataIsEmptyInConditionsButAnErrorInPaths() {
    String t = "($metadata[class]==) /none\n/x/$metadata[class]";
    assertThat(DirectoryTemplate.parse(t).resolve(context("d", "f", Map.of()))).isEqualTo("/none/f");
    assertThatThrownBy(() -> DirectoryTemplate.parse("/x/$metadata[class]").resolve(context("d", "f", Map.of())))
        .hasMessage("directory line 1: the data file has no metadata 'class'");
  }

  @Test
  void rejectsDotDotInTheResult() {
    assertThatThrownBy(() -> DirectoryTemplate.parse("/x/$metadata[s]/y").resolve(context("d", "f", Map.of("s", ".."))))
        .hasMessage("directory line 1 gives '/x/../y/f', which contains a '..' segment");
  }

  @Test
  void checkNamesTheLineAndTheProblem() {
    assertProblem("/ok\n/x/$dataFile[foo]", "line 2: unknown field $dataFile[foo]");
    assertProblem("/x/$nope", "line 1: unknown variable $nope");
    assertProblem("/x/$date[dateformat=bbb]", "line 1: bad dateformat 'bbb'");
    assertProblem("/x/$date[dateformat]", "line 1: $date option 'dateformat' needs a value");
    assertProblem("/x/$date[zone=UTC]", "line 1: unknown $date option 'zone'");
    assertProblem("/x/$date[datesource=$name]", "line 1: datesource must be $target");
    assertProblem("/x/$date[datesource=$target[1..2],datepattern=qqqqqq]", "line 1: bad datepattern");
    assertProblem("($destination[name]=={a(}) /x", "line 1: bad regex {a(}");
    assertProblem("($destination[name]~=a) /x", "line 1: expected one of == != .= =.");
    assertProblem("(archive==a) /x", "line 1: a condition must start with a variable");
    assertProblem("($destination[name]==a /x", "line 1: missing ')'");
    assertProblem("/x/$host", "line 1: $host needs a field");
    assertProblem("/x/$dataFile[id", "line 1: missing ']' after $dataFile[id");
    assertProblem("/x/$target[a]", "line 1: invalid target slice [a]");
    assertProblem("/x/$moverName[x]", "line 1: $moverName[x]: $moverName takes no [...]");
    assertProblem("/a\n/b", "line 2: a second line without conditions (the default is line 1)");
    assertProblem("/x/$", "line 1: '$' must start a variable name");
  }

  private static void assertProblem(String template, String message) {
    assertThatThrownBy(() -> DirectoryTemplate.check(template))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }
}
