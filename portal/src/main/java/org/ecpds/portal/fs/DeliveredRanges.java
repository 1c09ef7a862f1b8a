package org.ecpds.portal.fs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tracks which bytes of a file were delivered, so that a download is reported only when every byte
 * from 0 to the end went out, whatever the order of the (pipelined) client reads.
 */
public final class DeliveredRanges {
  /** Bounds memory for clients that read sparsely; such reads are then simply not counted. */
  private static final int MAX_PENDING = 100_000;

  private long contiguous;
  private final TreeMap<Long, Long> pending = new TreeMap<>();

  public synchronized void add(long start, long end) {
    if (end <= start) return;
    if (start <= contiguous) {
      contiguous = Math.max(contiguous, end);
      Map.Entry<Long, Long> next;
      while ((next = pending.firstEntry()) != null && next.getKey() <= contiguous) {
        contiguous = Math.max(contiguous, next.getValue());
        pending.pollFirstEntry();
      }
    } else if (pending.size() < MAX_PENDING) {
      pending.merge(start, end, Math::max);
    }
  }

  /** Bytes delivered without a gap from offset 0. */
  public synchronized long contiguous() {
    return contiguous;
  }
}
