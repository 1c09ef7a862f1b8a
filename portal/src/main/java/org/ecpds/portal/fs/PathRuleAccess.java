package org.ecpds.portal.fs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PathRule;

/**
 * OpenECPDS's rule: a permission must be granted, and when it has path rules (PathPermRegex) the path
 * relative to the destination must match one of them in full. A rule whose regex does not compile
 * matches nothing (fail closed).
 */
public final class PathRuleAccess implements AccessRule {
  private static final int MAX_PATTERNS = 10_000;
  private static final Pattern NOTHING = Pattern.compile("(?!)");
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  @Override
  public boolean allows(DestinationAccess a, FsPermission permission, String relative) {
    if (!granted(a, permission)) return false;
    String name = permission.name().toLowerCase(java.util.Locale.ROOT);
    boolean ruled = false;
    for (PathRule r : a.getPathRulesList()) {
      if (!r.getPermission().equalsIgnoreCase(name)) continue;
      ruled = true;
      if (pattern(r.getRegex()).matcher(relative).matches()) return true;
    }
    return !ruled;
  }

  static boolean granted(DestinationAccess a, FsPermission p) {
    return switch (p) {
      case GET -> a.getGet();
      case PUT -> a.getPut();
      case DELETE -> a.getDelete();
      case DIR -> a.getDir();
      case MKDIR -> a.getMkdir();
      case RMDIR -> a.getRmdir();
      case RENAME -> a.getRename();
      case SIZE -> a.getSize();
      case MTIME -> a.getMtime();
    };
  }

  private Pattern pattern(String regex) {
    Pattern p = patterns.get(regex);
    if (p != null) return p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      p = NOTHING;
    }
    if (patterns.size() >= MAX_PATTERNS) patterns.clear();
    patterns.put(regex, p);
    return p;
  }
}
