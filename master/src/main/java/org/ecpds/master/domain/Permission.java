package org.ecpds.master.domain;

import java.util.List;

/**
 * What an incoming user may do in one destination: OpenECPDS's get|put|delete|dir|mkdir|rmdir|rename|
 * size|mtime, and the path rules (PathPermRegex) that narrow them.
 */
public record Permission(long userId, long destinationId, String destination, Rights rights) {

  /** A rule: the permission it narrows and the regex a path relative to the destination must fully match. */
  public record Rule(String permission, String regex) {}

  /** The flags and rules, as an operator grants them. */
  public record Rights(boolean get, boolean put, boolean delete, boolean dir, boolean mkdir, boolean rmdir,
      boolean rename, boolean size, boolean mtime, List<Rule> rules) {
    public Rights {
      rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** The rights of a permission granted without detail: OpenECPDS's defaults (get, dir, size, mtime). */
    public static Rights defaults() {
      return new Rights(true, false, false, true, false, false, false, true, true, List.of());
    }
  }

  public boolean canGet() {
    return rights.get();
  }

  public boolean canPut() {
    return rights.put();
  }

  public boolean canDelete() {
    return rights.delete();
  }

  public boolean canDir() {
    return rights.dir();
  }
}
