package org.ecpds.master.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scheduler.activeTimeRange}: the daily windows in which a destination may send, e.g.
 * {@code 06:00-18:00,20:00-22:00}. A window whose end is not after its start crosses midnight
 * ({@code 22:00-02:00}); {@code 24:00} is the end of the day. Times are UTC unless a zone is given.
 * A window includes its start and excludes its end.
 */
public final class ActiveTimeRange {
  public static final ActiveTimeRange ALWAYS = new ActiveTimeRange(List.of(), ZoneOffset.UTC);
  private static final Pattern WINDOW = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

  private record Window(int start, int end) { // minutes of the day; end may be 1440
    boolean contains(int minute) {
      return start < end ? minute >= start && minute < end : minute >= start || minute < end;
    }
  }

  private final List<Window> windows;
  private final ZoneId zone;

  private ActiveTimeRange(List<Window> windows, ZoneId zone) {
    this.windows = windows;
    this.zone = zone;
  }

  public static ActiveTimeRange parse(String text) {
    return parse(text, ZoneOffset.UTC);
  }

  /** Empty or null text is {@link #ALWAYS}. */
  public static ActiveTimeRange parse(String text, ZoneId zone) {
    if (text == null || text.isBlank()) return ALWAYS;
    List<Window> windows = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      Matcher m = WINDOW.matcher(part.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("invalid active time range '" + part.trim() + "' in '" + text
            + "' (use HH:mm-HH:mm, several separated by commas, e.g. 06:00-18:00,20:00-22:00)");
      }
      int start = minutes(m.group(1), m.group(2), false, part);
      int end = minutes(m.group(3), m.group(4), true, part);
      if (start == end) throw new IllegalArgumentException("active time range '" + part.trim() + "' is empty: start and end are the same");
      windows.add(new Window(start, end));
    }
    return new ActiveTimeRange(List.copyOf(windows), zone);
  }

  private static int minutes(String h, String m, boolean isEnd, String part) {
    int hours = Integer.parseInt(h), mins = Integer.parseInt(m);
    boolean endOfDay = isEnd && hours == 24 && mins == 0;
    if (!endOfDay && (hours > 23 || mins > 59)) {
      throw new IllegalArgumentException("invalid time " + h + ":" + m + " in active time range '" + part.trim() + "'");
    }
    return hours * 60 + mins;
  }

  public boolean isAlways() {
    return windows.isEmpty();
  }

  public boolean isOpen(Instant when) {
    if (windows.isEmpty()) return true;
    LocalTime t = when.atZone(zone).toLocalTime();
    int minute = t.getHour() * 60 + t.getMinute();
    for (Window w : windows) {
      if (w.contains(minute)) return true;
    }
    return false;
  }

  /** {@code when} itself if a window is open then, otherwise the instant the next window opens. */
  public Instant nextOpening(Instant when) {
    if (isOpen(when)) return when;
    LocalDate day = when.atZone(zone).toLocalDate();
    Instant best = null;
    for (int d = 0; d <= 2 && best == null; d++) {
      for (Window w : windows) {
        Instant opening = opening(day.plusDays(d), w.start);
        // A DST gap can move a local opening earlier than "when" on the same day; those are skipped.
        if (opening.isAfter(when) && (best == null || opening.isBefore(best))) best = opening;
      }
    }
    return best;
  }

  private Instant opening(LocalDate day, int minute) {
    return ZonedDateTime.of(day, LocalTime.of(minute / 60, minute % 60), zone).toInstant();
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    if (windows.isEmpty()) return "";
    StringBuilder s = new StringBuilder();
    for (Window w : windows) {
      if (!s.isEmpty()) s.append(',');
      s.append(String.format("%02d:%02d-%02d:%02d", w.start / 60, w.start % 60, w.end / 60, w.end % 60));
    }
    return s.toString();
  }
}
