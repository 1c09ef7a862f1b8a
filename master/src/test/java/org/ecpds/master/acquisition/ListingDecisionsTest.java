package org.ecpds.master.acquisition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListingDecisionsTest {
  @Test
  void oneListingGoesThroughSelectionStabilityTargetAndRequeue() {
    DirectoryRule rule = DirectoryRulesTest.only("[requeueonupdate=yes]/d/{.*\\.grib}");
    DirectoryRule.Listing listing = rule.listing(DirectoryRulesTest.CONTEXT, DirectoryRulesTest.CLOCK);
    long t = DirectoryRulesTest.NOW.toEpochMilli() - 60_000;
    List<RemoteFile> entries = List.of(
        RemoteFile.file("new.grib", 10, t),        // settled since the previous listing, not registered
        RemoteFile.file("fresh.grib", 10, t),      // not in the previous listing: may still be written
        RemoteFile.file("growing.grib", 20, t),    // was 10 bytes at the previous listing
        RemoteFile.file("same.grib", 10, t),       // registered with the same size and time
        RemoteFile.file("updated.grib", 11, t),    // registered with another size
        RemoteFile.file("note.txt", 1, t),
        RemoteFile.file("x.grib.tmp", 1, t));
    Map<String, Stability.Observation> previous = Map.of("growing.grib", new Stability.Observation(10, t),
        "new.grib", new Stability.Observation(10, t), "same.grib", new Stability.Observation(10, t),
        "updated.grib", new Stability.Observation(11, t));
    Map<String, Requeue.Known> registered = Map.of(
        "/d/same.grib", new Requeue.Known(10, t), "/d/updated.grib", new Requeue.Known(10, t));
    List<ListingDecisions.Decision> d = ListingDecisions.decide(rule, listing, DirectoryRulesTest.CONTEXT,
        DirectoryRulesTest.NOW, entries, previous, key -> registered.get(key.original()));

    assertThat(d).extracting(x -> x.entry().name() + ":" + x.selection() + "/" + x.stability() + "/" + x.requeue())
        .containsExactly("new.grib:SELECTED/TAKE/REGISTER", "fresh.grib:SELECTED/UNSEEN/null",
            "growing.grib:SELECTED/CHANGING/null",
            "same.grib:SELECTED/TAKE/UNCHANGED", "updated.grib:SELECTED/TAKE/REQUEUE", "note.txt:NAME/null/null",
            "x.grib.tmp:NAME/null/null");
    assertThat(d).filteredOn(ListingDecisions.Decision::act).extracting(x -> x.registration().target())
        .containsExactly("new.grib", "updated.grib");
  }
}
