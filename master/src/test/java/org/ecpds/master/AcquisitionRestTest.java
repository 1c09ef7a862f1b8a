package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.master.acquisition.AcquisitionScheduler;
import org.ecpds.testkit.ManualClock;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Acquisition rules over REST on H2: refused on save with line and column, and the dry run. */
class AcquisitionRestTest {
  private static final Instant NOW = Instant.parse("2026-12-04T23:30:00Z");
  private static MasterHarness m;

  @BeforeAll
  static void start() throws Exception {
    m = new MasterHarness(TestDatabases.h2(), new ManualClock(NOW));
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  private static Map<String, Object> host(String name, String directory) {
    return Map.of("name", name, "type", "acquisition", "transferMethod", "sftp", "address", "hpc.example.org",
        "login", "ops", "password", "s3cret", "directory", directory);
  }

  @Test
  void badRulesAreRefusedNamingLineAndColumn() throws Exception {
    Reply r = m.call("POST", "host", host("acqbad", "# feeds\n/data/{.*}\n[filesze=>>0]/data/$date/{x(}"));
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.body().get("message").asText())
        .isEqualTo("directory: line 3, column 2: unknown option 'filesze'; line 3, column 26: bad regex {x(}: Unclosed group");
    JsonNode first = r.body().at("/problems/0");
    assertThat(first.get("line").asInt()).isEqualTo(3);
    assertThat(first.get("column").asInt()).isEqualTo(2);
    assertThat(m.call("GET", "host/acqbad", null).code()).as("nothing created").isEqualTo(404);

    // a dissemination host's directory is a path template: the acquisition syntax is not asked of it
    Map<String, Object> dissemination = new java.util.HashMap<>(host("dissok", "/out/$destination"));
    dissemination.put("type", "dissemination");
    assertThat(m.call("POST", "host", dissemination).code()).isEqualTo(200);

    assertThat(m.call("POST", "host", host("acqok", "/data/{.*}")).code()).isEqualTo(200);
    Reply badOption = m.call("PUT", "host/acqok", Map.of("options", Map.of("acquisition.fileage", "6h")));
    assertThat(badOption.code()).isEqualTo(400);
    assertThat(badOption.body().get("message").asText()).startsWith("directory: option acquisition.fileage: fileage '6h' needs an operator");
    Reply badUpdate = m.call("PUT", "host/acqok", Map.of("directory", "/data/$foo/{.*}"));
    assertThat(badUpdate.code()).isEqualTo(400);
    assertThat(badUpdate.body().get("message").asText()).isEqualTo("directory: line 1, column 7: unknown variable $foo");
    assertThat(m.call("PUT", "host/acqok", Map.of("directory", "[fileage=<6h]/data/$date[datedelta=-1d]/{.*\\.grib2}")).code())
        .isEqualTo(200);
  }

  static java.util.stream.Stream<org.ecpds.testkit.TestDatabase> databases() {
    return TestDatabases.both();
  }

  /** On both databases: the V8 column is read and written. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("databases")
  void acquisitionFrequencyIsStoredAndEnabledPairsAreTheSchedulerTargets(org.ecpds.testkit.TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db, new ManualClock(NOW))) {
      frequencyAndTargets(m);
    }
  }

  private static void frequencyAndTargets(MasterHarness m) throws Exception {
    Map<String, Object> spec = new java.util.HashMap<>(host("acqfreq", "/data/{.*}"));
    spec.put("acquisitionFrequency", "2m");
    Reply created = m.call("POST", "host", spec);
    assertThat(created.code()).isEqualTo(200);
    assertThat(created.body().at("/host/acquisitionFrequency").asText()).isEqualTo("2m");
    assertThat(m.call("POST", "host", host("acqdefault", "/data/{.*}")).body().at("/host/acquisitionFrequency").asText())
        .isEqualTo("5m");
    Reply tooOften = m.call("PUT", "host/acqfreq", Map.of("acquisitionFrequency", "10ms"));
    assertThat(tooOften.code()).isEqualTo(400);
    assertThat(tooOften.body().get("message").asText()).isEqualTo("acquisitionFrequency must be at least 1s");
    assertThat(m.call("POST", "destination", Map.of("name", "FREQDEST")).code()).isEqualTo(200);
    assertThat(m.call("PUT", "destination/FREQDEST/host/acqfreq", Map.of()).code()).isEqualTo(200);
    assertThat(m.node.acquisition().targets())
        .contains(new AcquisitionScheduler.Target("FREQDEST", "acqfreq", java.time.Duration.ofMinutes(2)));
    assertThat(m.call("PUT", "host/acqfreq", Map.of("enabled", false)).code()).isEqualTo(200);
    assertThat(m.node.acquisition().targets()).noneMatch(t -> t.host().equals("acqfreq"));
  }

  @Test
  void dryRunShowsWhatWouldBeRegisteredWithoutRegistering() throws Exception {
    assertThat(m.call("POST", "host", host("acqdry", "[fileage=<6h;target=$dirdate/$name;priority=10]"
        + "/u/$host[passwd]/$date[datedelta=-1d]/{.*\\.grib2}")).code()).isEqualTo(200);
    assertThat(m.call("POST", "destination", Map.of("name", "ACQDEST")).code()).isEqualTo(200);
    assertThat(m.call("PUT", "destination/ACQDEST/host/acqdry", Map.of("priority", 0)).code()).isEqualTo(200);
    long recent = NOW.minusSeconds(3600).toEpochMilli();
    Reply r = m.call("POST", "host/acqdry/acquisition/dry-run", Map.of("entries", List.of(
        Map.of("name", "a.grib2", "size", 10, "modified", recent),
        Map.of("name", "old.grib2", "size", 10, "modified", NOW.minusSeconds(7 * 3600).toEpochMilli()),
        Map.of("name", "b.txt", "size", 10, "modified", recent),
        Map.of("name", "sub", "directory", true),
        Map.of("name", ".c.grib2", "size", 10, "modified", recent))));
    assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
    assertThat(r.body().toString()).doesNotContain("s3cret");
    JsonNode rule = r.body().at("/rules/0");
    assertThat(rule.get("directory").asText()).isEqualTo("/u/****/20261203");
    JsonNode entries = rule.get("entries");
    assertThat(entries.get(0).at("/registration/target").asText()).isEqualTo("20261203/a.grib2");
    assertThat(entries.get(0).at("/registration/groupBy").asText()).isEqualTo("ACQ_ACQDEST_acqdry");
    assertThat(entries.get(0).at("/registration/priority").asInt()).isEqualTo(10);
    assertThat(entries.get(0).at("/registration/lifetime").asText()).isEqualTo("2d");
    assertThat(entries.get(1).get("selection").asText()).isEqualTo("AGE");
    assertThat(entries.get(2).get("selection").asText()).isEqualTo("NAME");
    assertThat(entries.get(3).get("selection").asText()).isEqualTo("DIRECTORY");
    assertThat(entries.get(4).get("stability").asText()).isEqualTo("TEMPORARY_NAME");
    assertThat(entries.get(4).has("registration")).isFalse();
    Long files = m.node.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM data_file").mapTo(Long.class).one());
    assertThat(files).as("nothing registered").isZero();

    Reply wrongDestination = m.call("POST", "host/acqdry/acquisition/dry-run", Map.of("destination", "NOPE", "entries", List.of()));
    assertThat(wrongDestination.code()).isEqualTo(400);
    assertThat(m.call("POST", "host/nohost/acquisition/dry-run", Map.of("entries", List.of())).code()).isEqualTo(404);
  }

  @Test
  void runNowStartsARunOfAnActiveTargetOnly() throws Exception {
    try (MasterHarness h = new MasterHarness(TestDatabases.h2(), new ManualClock(NOW),
        c -> c.with("scheduler.acquisition.enabled", false))) {
      assertThat(h.call("POST", "destination", Map.of("name", "IN")).code()).isEqualTo(200);
      assertThat(h.call("POST", "host", host("acqrun", "/data/{.*}")).code()).isEqualTo(200);
      assertThat(h.call("POST", "host/nohost/acquisition/run?destination=IN", Map.of()).code()).isEqualTo(404);
      Reply notAssociated = h.call("POST", "host/acqrun/acquisition/run?destination=IN", Map.of());
      assertThat(notAssociated.code()).isEqualTo(409);
      assertThat(notAssociated.body().get("message").asText()).contains("not an enabled acquisition host");
      assertThat(h.call("POST", "host/acqrun/acquisition/run", Map.of()).code()).as("no destination").isEqualTo(400);

      assertThat(h.call("PUT", "destination/IN/host/acqrun", Map.of("priority", 0)).code()).isEqualTo(200);
      Reply started = h.call("POST", "host/acqrun/acquisition/run?destination=IN", Map.of());
      assertThat(started.code()).as(started.body().toString()).isEqualTo(200);
      assertThat(started.body().get("started").asBoolean()).isTrue();
      AcquisitionScheduler.Target t = new AcquisitionScheduler.Target("IN", "acqrun", java.time.Duration.ZERO);
      org.ecpds.testkit.Conditions.await("the run (no mover online) ended", java.time.Duration.ofSeconds(30),
          () -> !h.node.acquisitionScheduler().isRunning(t));
    }
  }
}
