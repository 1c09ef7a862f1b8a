package org.ecpds.common.portal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PathRule;

/**
 * The portal's permission rule, in one place for both sides: the mover-side portal decides with it
 * before it asks, and the master re-checks every change with it. A right holds when its flag is set
 * and, if the permission has path rules (OpenECPDS's PathPermRegex), the path relative to the
 * destination fully matches at least one of them.
 */
public final class PortalRights {
  /** OpenECPDS's permission names, as they appear in a {@link PathRule}. */
  public enum Right {
    GET, PUT, DELETE, DIR, MKDIR, RMDIR, RENAME, SIZE, MTIME;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The right a rule names; empty for a name OpenECPDS does not have. */
    public static Optional<Right> of(String name) {
      if (name == null) return Optional.empty();
      for (Right r : values()) if (r.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) return Optional.of(r);
      return Optional.empty();
    }
  }

  private PortalRights() {}

  /** Whether the access grants the right on the path ("" for the destination itself). */
  public static boolean allows(DestinationAccess access, Right right, String path) {
    if (!flag(access, right)) return false;
    boolean ruled = false;
    for (PathRule rule : access.getPathRulesList()) {
      if (Right.of(rule.getPermission()).orElse(null) != right) continue;
      ruled = true;
      if (matches(rule.getRegex(), path == null ? "" : path)) return true;
    }
    return !ruled;
  }

  /** The permission flag alone, without path rules. */
  public static boolean flag(DestinationAccess a, Right right) {
    return switch (right) {
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

  /**
   * Why a rule cannot be saved (unknown permission, invalid regex), or empty when it is valid. An
   * invalid rule that reached a portal anyway matches nothing: it never widens access.
   */
  public static Optional<String> problem(String permission, String regex) {
    if (Right.of(permission).isEmpty()) {
      return Optional.of("unknown permission '" + permission + "' (get, put, delete, dir, mkdir, rmdir, rename, size, mtime)");
    }
    if (regex == null || regex.isEmpty()) return Optional.of("regex is required");
    try {
      Pattern.compile(regex);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of("invalid regex '" + regex + "': " + e.getDescription());
    }
  }

  private static boolean matches(String regex, String path) {
    try {
      return Pattern.compile(regex).matcher(path).matches();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }
}
