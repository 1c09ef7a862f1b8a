package org.ecpds.master.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ObservationsTest {
  private static RemoteFile file(String name, long size) {
    return new RemoteFile(name, size, 1000, false, false);
  }

  @Test
  void aCommittedListingBecomesThePreviousOneAndAFailedOneDoesNot() {
    Observations o = new Observations(10);
    assertNull(o.previous("D", "H", "/data"));
    Observations.Recorder r = o.record("D", "H", "/data");
    r.observe(file("a", 1));
    r.observe(file("b", 2));
    assertNull(o.previous("D", "H", "/data"));
    r.commit();
    assertEquals(new Stability.Observation(2, 1000), o.previous("D", "H", "/data").get("b"));
    assertNull(o.previous("D2", "H", "/data"));

    Observations.Recorder failed = o.record("D", "H", "/data");
    failed.observe(file("a", 5));
    assertEquals(1, o.previous("D", "H", "/data").get("a").size());
  }

  @Test
  void theDirectoryListedLongestAgoIsForgottenWhenTheBoundIsReached() {
    Observations o = new Observations(3);
    Observations.Recorder one = o.record("D", "H", "/one");
    one.observe(file("a", 1));
    one.observe(file("b", 1));
    one.commit();
    Observations.Recorder two = o.record("D", "H", "/two");
    two.observe(file("c", 1));
    two.observe(file("d", 1));
    two.commit();
    assertNull(o.previous("D", "H", "/one"));
    assertNotNull(o.previous("D", "H", "/two"));
  }
}
