package org.ecpds.master.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.ecpds.master.rules.TemplateContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DirectoryRulesTest {
  static final Instant NOW = Instant.parse("2026-12-04T23:30:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final AcquisitionContext CONTEXT = new AcquisitionContext("dest1",
      new TemplateContext.Host("hpc1", "hpc", "hpc.example.org", "ops", "hpc feed", null, "01", "internet"), "ftp", "s3cret");

  static DirectoryRule only(String field) {
    List<DirectoryRule> rules = DirectoryRules.parse(field, Map.of()).rules();
    assertThat(rules).hasSize(1);
    return rules.get(0);
  }

  /** Rule lines (the first from features.md) -> the directory listed at NOW and whether a name is taken. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[fileage=<6h]/data/$date[datedelta=-1d]/{.*\\.grib2}      | /data/20261203        | a.grib2       | true",
      "[fileage=<6h]/data/$date[datedelta=-1d]/{.*\\.grib2}      | /data/20261203        | a.grib2.tmp   | false",
      "/data/$date/{.*\\.bufr}                                   | /data/20261204        | x.bufr        | true",
      "[datedelta=-1d]/data/$date/{.*}                           | /data/20261203        | anything      | true",
      "[dateformat=yyyy/MM/dd;datedelta=-2d]/archive/$date/index.txt | /archive/2026/12/02 | index.txt  | true",
      "[dateformat=yyyy/MM/dd;datedelta=-2d]/archive/$date/index.txt | /archive/2026/12/02 | index.txts | false",
      "/archive/$date/file_$dirdate.grib                         | /archive/20261204     | file_20261204.grib | true",
      "/d/$date[datedelta=-1d]/x_$dirdate                        | /d/20261203           | x_20261203    | true",
      "/incoming/                                                | /incoming             | whatever      | true",
      "/{.*}                                                     | /                     | top           | true",
      "{a.*}                                                     | ''                    | abc           | true",
      "/products/$host[login]/$date[dateformat=yyyy,datedelta=+1d]/{[0-9]{8}_.*} | /products/ops/2026 | 20261204_x | true",
      "/hpc/$transferMethod/$destination/$host[nickname]/{.*}    | /hpc/ftp/dest1/hpc    | f             | true",
      "  # a comment\\n\\n/data/{x}                                | /data                 | x             | true",
  })
  void linesResolveAndSelect(String field, String directory, String name, boolean taken) {
    DirectoryRule rule = only(field.replace("\\n", "\n"));
    DirectoryRule.Listing listing = rule.listing(CONTEXT, CLOCK);
    assertThat(listing.path()).isEqualTo(directory);
    RemoteFile f = RemoteFile.file(name, 10, NOW.minus(Duration.ofHours(1)).toEpochMilli());
    assertThat(rule.select(f, listing, NOW) == DirectoryRule.Selection.SELECTED).isEqualTo(taken);
  }

  @Test
  void theDateFollowsTheClockAndItsZone() {
    DirectoryRule rule = only("/data/$date/{.*}");
    assertThat(rule.listing(CONTEXT, CLOCK).path()).isEqualTo("/data/20261204");
    // 23:30 UTC is already the 5th in Tokyo
    assertThat(rule.listing(CONTEXT, Clock.fixed(NOW, ZoneId.of("Asia/Tokyo"))).path()).isEqualTo("/data/20261205");
  }

  @Test
  void hostOptionsAreDefaultsThatALineOverrides() {
    Map<String, String> host = Map.of("acquisition.dateformat", "yyyyMMddHH", "acquisition.datedelta", "-1h",
        "acquisition.priority", "20", "other.key", "ignored");
    List<DirectoryRule> rules = DirectoryRules.parse("/a/$date/{.*}\n[priority=5;datedelta=0ms]/b/$dirdate/{.*}", host).rules();
    assertThat(rules.get(0).listing(CONTEXT, CLOCK).path()).isEqualTo("/a/2026120422");
    assertThat(rules.get(0).options().priority()).isEqualTo(20);
    assertThat(rules.get(1).listing(CONTEXT, CLOCK).path()).isEqualTo("/b/2026120423");
    assertThat(rules.get(1).options().priority()).isEqualTo(5);
  }

  @Test
  void thePasswordReachesOnlyTheMoverPath() {
    DirectoryRule rule = only("/u/$host[login]:$host[passwd]/{.*}");
    DirectoryRule.Listing listing = rule.listing(CONTEXT, CLOCK);
    assertThat(listing.path()).isEqualTo("/u/ops:s3cret");
    assertThat(listing.display()).isEqualTo("/u/ops:****");
    Registration r = rule.plan(RemoteFile.file("f", 1, 0), listing, CONTEXT);
    assertThat(r.remotePath()).isEqualTo("/u/ops:s3cret/f");
    assertThat(r.original()).isEqualTo("/u/ops:****/f");
    assertThat(r.toString()).doesNotContain("s3cret");
    assertThat(CONTEXT.toString()).doesNotContain("s3cret");
  }

  @Test
  void selectionFollowsOpenEcpdsOrder() {
    DirectoryRule rule = only("[filesize=>=256k;fileage=<<6h]/d/{.*\\.nc}");
    DirectoryRule.Listing l = rule.listing(CONTEXT, CLOCK);
    long recent = NOW.minusSeconds(60).toEpochMilli();
    assertThat(rule.select(new RemoteFile("x.nc", 0, recent, true, false), l, NOW)).isEqualTo(DirectoryRule.Selection.DIRECTORY);
    assertThat(rule.select(new RemoteFile("x.nc", 300_000, recent, false, true), l, NOW)).isEqualTo(DirectoryRule.Selection.SYMLINK);
    assertThat(rule.select(RemoteFile.file("x.grib", 0, 0), l, NOW)).isEqualTo(DirectoryRule.Selection.NAME);
    assertThat(rule.select(RemoteFile.file("x.nc", 262_143, recent), l, NOW)).isEqualTo(DirectoryRule.Selection.SIZE);
    assertThat(rule.select(RemoteFile.file("x.nc", 262_144, NOW.minus(Duration.ofHours(6)).toEpochMilli()), l, NOW))
        .isEqualTo(DirectoryRule.Selection.AGE);
    assertThat(rule.select(RemoteFile.file("x.nc", 262_144, NOW.minus(Duration.ofHours(6)).toEpochMilli() + 1), l, NOW))
        .isEqualTo(DirectoryRule.Selection.SELECTED);
    DirectoryRule links = only("[useSymlink=yes]/d/{.*}");
    assertThat(links.select(new RemoteFile("l", 1, recent, false, true), links.listing(CONTEXT, CLOCK), NOW))
        .isEqualTo(DirectoryRule.Selection.SELECTED);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "==10MB  | 10485760 | true", "==10MB | 10485759 | false", "!=0 | 1 | true", "!=0 | 0 | false",
      ">>256k  | 262145   | true", ">>256k | 262144   | false", ">256k | 262145 | true",
      "<<1.5GB | 1610612735 | true", "<<1.5GB | 1610612736 | false", "<1k | 1023 | true",
      ">=4096  | 4096     | true", "<=100b | 101 | false", "== 7 KiB | 7168 | true"})
  void sizeComparisonsWithUnits(String text, long size, boolean expected) {
    assertThat(Comparison.size(text).test(size)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "<6h | 21599999 | true", "<6h | 21600000 | false", "<<500ms | 499 | true", ">=2d | 172800000 | true",
      ">>PT15M | 900001 | true", ">>PT15M | 900000 | false", "==1w | 604800000 | true", "<=90s | 90001 | false"})
  void ageComparisonsWithDurations(String text, long ageMillis, boolean expected) {
    assertThat(Comparison.age(text).test(ageMillis)).isEqualTo(expected);
  }

  @Test
  void registrationPlanWithDefaultsAndTargetTokens() {
    DirectoryRule plain = only("/data/$date/{.*}");
    DirectoryRule.Listing l = plain.listing(CONTEXT, CLOCK);
    Registration r = plain.plan(RemoteFile.file("a.grib", 5, 1234), l, CONTEXT);
    assertThat(r.target()).isEqualTo("a.grib");
    assertThat(r.original()).isEqualTo("/data/20261204/a.grib");
    assertThat(r.priority()).isEqualTo(99);
    assertThat(r.lifetime()).isEqualTo(Duration.ofDays(2));
    assertThat(r.groupBy()).isEqualTo("ACQ_dest1_hpc1");
    assertThat(r.action()).isEqualTo(AcquisitionOptions.Action.QUEUE);
    assertThat(r.standby() || r.noRetrieval() || r.deleteOriginal()).isFalse();

    DirectoryRule custom = only("[target=$destination/$dirdate/$timestamp_$target[0..3]_$date[dateformat=HHmm];"
        + "priority=10;lifetime=12h;standby=yes;noretrieval=true;deleteoriginal=yes;groupby=G_{host};action=delete;"
        + "metadata=stream=oper]/data/$date[datedelta=-1d]/{.*}");
    Registration c = custom.plan(RemoteFile.file("abcdef", 5, 1234), custom.listing(CONTEXT, CLOCK), CONTEXT);
    assertThat(c.target()).isEqualTo("dest1/20261203/1234_abc_2330"); // $dirdate follows the directory's $date
    assertThat(c.original()).isEqualTo("/data/20261203/abcdef");
    assertThat(c).extracting(Registration::priority, Registration::lifetime, Registration::standby, Registration::noRetrieval,
        Registration::deleteOriginal, Registration::groupBy, Registration::action, Registration::metadata)
        .containsExactly(10, Duration.ofHours(12), true, true, true, "G_hpc1", AcquisitionOptions.Action.DELETE, "stream=oper");
  }

  @Test
  void aTargetThatIsNotACleanPathSkipsTheEntry() {
    DirectoryRule rule = only("[target=../$name]/d/{.*}");
    assertThatThrownBy(() -> rule.plan(RemoteFile.file("f", 1, 1), rule.listing(CONTEXT, CLOCK), CONTEXT))
        .isInstanceOf(TargetException.class).hasMessageContaining("'..'");
    DirectoryRule slice = only("[target=$target[5..9]]/d/{.*}");
    assertThatThrownBy(() -> slice.plan(RemoteFile.file("f", 1, 1), slice.listing(CONTEXT, CLOCK), CONTEXT))
        .isInstanceOf(TargetException.class).hasMessageContaining("too short");
  }

  @Test
  void dedupKeys() {
    RemoteFile f = RemoteFile.file("a", 5, 1234);
    assertThat(key("/d/{.*}", f)).isEqualTo(new DedupKey("dest1", "a", "/d/a", null));
    assertThat(key("[uniqueByTargetOnly=yes]/d/{.*}", f)).isEqualTo(new DedupKey("dest1", "a", null, null));
    assertThat(key("[uniqueByNameAndTime=yes]/d/{.*}", f)).isEqualTo(new DedupKey("dest1", "a", "/d/a", 1234L));
    assertThat(key("[uniqueByTargetOnly=yes;uniqueByNameAndTime=yes]/d/{.*}", f)).isEqualTo(new DedupKey("dest1", "a", null, 1234L));
    assertThat(key("/x/{.*}", f).text()).isNotEqualTo(key("/d/{.*}", f).text());
  }

  private static DedupKey key(String line, RemoteFile f) {
    DirectoryRule rule = only(line);
    return rule.plan(f, rule.listing(CONTEXT, CLOCK), CONTEXT).key();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // known size, known time, listed size, listed time, requeueonupdate, requeueonsamesize -> decision
      "-1 | -1 | 5 | 100 | false | false | REGISTER",
      "5  | 100 | 5 | 100 | true  | true  | UNCHANGED",
      "5  | 100 | 6 | 200 | false | false | KEEP",
      "5  | 100 | 6 | 200 | true  | false | REQUEUE",
      "5  | 100 | 6 | 100 | true  | false | REQUEUE",
      "5  | 100 | 5 | 200 | true  | false | KEEP_SAME_SIZE",
      "5  | 100 | 5 | 200 | true  | true  | REQUEUE",
      "5  | 100 | 5 | 200 | false | true  | KEEP"})
  void requeueDecisions(long size1, long time1, long size2, long time2, boolean onUpdate, boolean onSameSize,
      Requeue.Decision expected) {
    Requeue.Known known = size1 < 0 ? null : new Requeue.Known(size1, time1);
    AcquisitionOptions o = only("[requeueonupdate=" + onUpdate + ";requeueonsamesize=" + onSameSize + "]/d/{.*}").options();
    assertThat(Requeue.decide(known, RemoteFile.file("f", size2, time2), o)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "data.grib | -1 | -1 | UNSEEN", "data.grib | 5 | 100 | TAKE", "data.grib | 4 | 100 | CHANGING",
      "data.grib | 5 | 99 | CHANGING", ".data.grib | 5 | 100 | TEMPORARY_NAME", "data.grib.tmp | -1 | -1 | TEMPORARY_NAME"})
  void stability(String name, long previousSize, long previousTime, Stability.Decision expected) {
    Stability.Observation previous = previousSize < 0 ? null : new Stability.Observation(previousSize, previousTime);
    AcquisitionOptions o = only("/d/{.*}").options();
    assertThat(Stability.decide(previous, RemoteFile.file(name, 5, 100), o.tmpPattern())).isEqualTo(expected);
  }

  @Test
  void aCustomTemporaryPattern() {
    AcquisitionOptions o = only("[tmpPattern=\\.part$]/d/{.*}").options();
    assertThat(Stability.decide(null, RemoteFile.file("a.part", 1, 1), o.tmpPattern())).isEqualTo(Stability.Decision.TEMPORARY_NAME);
    assertThat(Stability.decide(null, RemoteFile.file("a.tmp", 1, 1), o.tmpPattern())).isEqualTo(Stability.Decision.UNSEEN);
  }

  /** Each bad field -> every problem as "line L, column C: ..." (1-based). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[filesze=1]/d/{.*}                 | line 1, column 2: unknown option 'filesze'",
      "/d/{.*}\\n[fileage=6h]/d/{.*}       | line 2, column 10: fileage '6h' needs an operator",
      "[fileage=<<6x]/d/{.*}              | line 1, column 10: fileage: '6x' is not a duration",
      "[filesize=>>ten]/d/{.*}            | line 1, column 11: filesize: 'ten' is not a size",
      "/d/$dates/{.*}                     | ''",
      "/d/$foo/{.*}                       | line 1, column 4: unknown variable $foo",
      "/d/$timestamp/{.*}                 | line 1, column 4: $timestamp cannot be used in a rule's path",
      "/d/$host[secret]/{.*}              | line 1, column 4: unknown field $host[secret]",
      "/d/$date[datedelta=x]/{.*}         | line 1, column 4: invalid datedelta 'x'",
      "/d/{.*\\.grib(}                    | line 1, column 4: bad regex",
      "/d/{.*}/more                       | line 1, column 8: unexpected text after the name regex",
      "/d/{.*                             | line 1, column 4: missing '}'",
      "[priority=100/d/{.*}               | line 1, column 1: missing ']'",
      "[priority=100]/d/{.*}              | line 1, column 11: priority must be 0-99",
      "[priority=high]/d/{.*}             | line 1, column 11: priority: 'high' is not a whole number",
      "[standby=maybe]/d/{.*}             | line 1, column 10: standby: 'maybe' is not yes, no, true or false",
      "[action=move]/d/{.*}               | line 1, column 9: action must be queue or delete",
      "[target=$host[passwd]/$name]/d/{.*} | line 1, column 9: $host[passwd] may only be used in the directory",
      "[target=a/$size]/d/{.*}            | line 1, column 11: unknown variable $size",
      "[lifetime=0s]/d/{.*}               | line 1, column 11: lifetime must be more than 0",
      "[stable]/d/{.*}                    | line 1, column 2: option 'stable' needs a value",
      "[fileage=<<6h]                     | line 1, column 15: expected a remote path",
      "$(ls /data)                        | line 1, column 1: script mode",
      "[requeueon=$size1 != $size2]/d/{.*} | line 1, column 12: requeueon scripts are not supported",
      "/d/$date[datesource=$target[0..8]]/{.*} | line 1, column 4: datesource reads the target",
  })
  void errorsNameLineAndColumn(String field, String expected) {
    if (expected.isEmpty()) { // "$dates" is $date followed by "s", as in the dissemination templates
      assertThat(only(field).listing(CONTEXT, CLOCK).path()).isEqualTo("/d/20261204s");
      return;
    }
    DirectoryRuleException e = catchThrowableOfType(() -> DirectoryRules.parse(field.replace("\\n", "\n"), Map.of()),
        DirectoryRuleException.class);
    assertThat(e).as(field).isNotNull();
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).toString()).startsWith(expected);
  }

  @Test
  void everyProblemOfTheFieldIsReported() {
    DirectoryRuleException e = catchThrowableOfType(() -> DirectoryRules.parse(
        "# ok\n[filesze=1]/d/{.*}\n/good/{.*}\n/d/$foo/{x(}\n", Map.of("acquisition.priority", "-1")), DirectoryRuleException.class);
    assertThat(e.problems()).extracting(RuleProblem::toString).containsExactly(
        "option acquisition.priority: priority must be 0-99 (lower goes first)",
        "line 2, column 2: unknown option 'filesze'",
        "line 4, column 9: bad regex {x(}: Unclosed group",
        "line 4, column 4: unknown variable $foo");
    assertThat(e).hasMessageStartingWith("directory: option acquisition.priority");
  }

  @Test
  void emptyFieldHasNoRules() {
    assertThat(DirectoryRules.parse("", Map.of()).rules()).isEmpty();
    assertThat(DirectoryRules.parse(null, null).rules()).isEmpty();
  }
}
