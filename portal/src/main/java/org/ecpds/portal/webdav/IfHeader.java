package org.ecpds.portal.webdav;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ecpds.portal.https.HttpReply;

/**
 * The WebDAV If header (RFC 4918 §10.4): lists of conditions, optionally tagged with the resource
 * they apply to. The header holds when at least one list holds; a list holds when all its conditions
 * do. Every state token in it counts as submitted for the lock checks.
 */
final class IfHeader {
  record Condition(boolean not, String stateToken, String entityTag) {}

  /** {@code resource} is null for an untagged list (the request URI). */
  record ConditionList(String resource, List<Condition> conditions) {}

  private final List<ConditionList> lists;

  private IfHeader(List<ConditionList> lists) {
    this.lists = lists;
  }

  List<ConditionList> lists() {
    return lists;
  }

  Set<String> tokens() {
    Set<String> out = new LinkedHashSet<>();
    for (ConditionList l : lists) for (Condition c : l.conditions()) if (c.stateToken() != null) out.add(c.stateToken());
    return out;
  }

  static final IfHeader ABSENT = new IfHeader(List.of());

  boolean present() {
    return !lists.isEmpty();
  }

  /** Parses one or more If header values (joined); 400 on a syntax error. */
  static IfHeader parse(List<String> values) throws HttpReply {
    if (values == null || values.isEmpty()) return ABSENT;
    String s = String.join(" ", values);
    List<ConditionList> out = new ArrayList<>();
    String tag = null;
    int i = 0;
    int n = s.length();
    while (true) {
      while (i < n && Character.isWhitespace(s.charAt(i))) i++;
      if (i >= n) break;
      char c = s.charAt(i);
      if (c == '<') {
        int end = s.indexOf('>', i);
        if (end < 0) throw bad();
        tag = s.substring(i + 1, end);
        i = end + 1;
      } else if (c == '(') {
        i++;
        List<Condition> conditions = new ArrayList<>();
        while (true) {
          while (i < n && Character.isWhitespace(s.charAt(i))) i++;
          if (i >= n) throw bad();
          if (s.charAt(i) == ')') {
            i++;
            break;
          }
          boolean not = false;
          if (s.regionMatches(true, i, "Not", 0, 3)) {
            not = true;
            i += 3;
            while (i < n && Character.isWhitespace(s.charAt(i))) i++;
            if (i >= n) throw bad();
          }
          char d = s.charAt(i);
          if (d == '<') {
            int end = s.indexOf('>', i);
            if (end < 0) throw bad();
            conditions.add(new Condition(not, s.substring(i + 1, end).trim(), null));
            i = end + 1;
          } else if (d == '[') {
            int end = s.indexOf(']', i);
            if (end < 0) throw bad();
            conditions.add(new Condition(not, null, s.substring(i + 1, end).trim()));
            i = end + 1;
          } else {
            throw bad();
          }
        }
        if (conditions.isEmpty()) throw bad();
        out.add(new ConditionList(tag, conditions));
      } else {
        throw bad();
      }
    }
    if (out.isEmpty()) throw bad();
    return new IfHeader(out);
  }

  private static HttpReply bad() {
    return new HttpReply(400, "malformed If header");
  }
}
