package org.ecpds.master.acquisition;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The previous listing of each (destination, host, directory), in memory, for the stability check
 * (the runner makes the directory key per rule line, so that two lines on one directory never compare
 * with each other's listing of the same run):
 * a file is taken only when its size and modified time are those of the previous listing. Bounded by
 * a total number of remembered files; the directories listed longest ago are forgotten first (their
 * next listing then only observes, as the first listing after a master restart does).
 */
public final class Observations {
  private record Key(String destination, String host, String directory) {}

  private final int maxFiles;
  private int files;
  private final LinkedHashMap<Key, Map<String, Stability.Observation>> listings = new LinkedHashMap<>(16, 0.75f, true);

  public Observations(int maxFiles) {
    if (maxFiles < 1) throw new IllegalArgumentException("maxFiles must be >= 1");
    this.maxFiles = maxFiles;
  }

  /** The previous listing of this directory, or null when there is none (first listing: observe only). */
  public synchronized Map<String, Stability.Observation> previous(String destination, String host, String directory) {
    Map<String, Stability.Observation> m = listings.get(new Key(destination, host, directory));
    return m == null ? null : Collections.unmodifiableMap(m);
  }

  /** Collects one listing page by page; {@link #commit()} makes it the previous listing. */
  public Recorder record(String destination, String host, String directory) {
    return new Recorder(new Key(destination, host, directory));
  }

  public final class Recorder {
    private final Key key;
    private final Map<String, Stability.Observation> seen = new HashMap<>();

    private Recorder(Key key) {
      this.key = key;
    }

    public void observe(RemoteFile f) {
      seen.put(f.name(), Stability.Observation.of(f));
    }

    /** Replaces the previous listing; a listing that failed half way is simply not committed. */
    public void commit() {
      synchronized (Observations.this) {
        Map<String, Stability.Observation> old = listings.remove(key);
        if (old != null) files -= old.size();
        if (seen.size() > maxFiles) return; // too large to remember: its next listing observes again
        listings.put(key, seen);
        files += seen.size();
        var it = listings.entrySet().iterator();
        while (files > maxFiles && it.hasNext()) {
          var e = it.next();
          files -= e.getValue().size();
          it.remove();
        }
      }
    }
  }
}
