package org.ecpds.portal.s3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.PortalFs;

/**
 * Lists a bucket as S3 does (keys in lexicographic order, prefix, delimiter with common prefixes,
 * start after a key, a page of at most max-keys) by walking the destination's directories. Siblings are
 * visited in the order of their keys (a directory "a" as "a/"), which makes a depth-first walk yield
 * keys in S3's order; directories that cannot hold a wanted key are not listed at all.
 */
final class ObjectLister {
  record Item(String key, FsEntry entry) {}

  record Page(List<Item> contents, List<String> commonPrefixes, boolean truncated, String lastReturned) {}

  private final PortalFs fs;
  private final String prefix;
  private final String delimiter;
  private final String startAfter;
  private final int maxKeys;
  private final List<Item> contents = new ArrayList<>();
  private final List<String> prefixes = new ArrayList<>();
  private String lastPrefix;
  private String last;
  private boolean truncated;
  private boolean done;

  ObjectLister(PortalFs fs, String prefix, String delimiter, String startAfter, int maxKeys) {
    this.fs = fs;
    this.prefix = prefix == null ? "" : prefix;
    this.delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    this.startAfter = startAfter == null || startAfter.isEmpty() ? null : startAfter;
    this.maxKeys = maxKeys;
  }

  Page list(FsPath bucket) throws FsException {
    if (maxKeys > 0) walk(bucket, "", true);
    return new Page(contents, prefixes, truncated, last);
  }

  private void walk(FsPath dir, String dirKey, boolean top) throws FsException {
    List<FsEntry> entries;
    try {
      entries = new ArrayList<>(fs.list(dir));
    } catch (FsException e) {
      // the bucket itself must be listable; a sub-directory that vanished or is hidden is just skipped
      if (top || (e.kind() != FsException.Kind.NOT_FOUND && e.kind() != FsException.Kind.DENIED)) throw e;
      return;
    }
    entries.sort(Comparator.comparing(e -> e.name() + (e.directory() ? "/" : "")));
    for (FsEntry e : entries) {
      if (done) return;
      String key = dirKey + e.name() + (e.directory() ? "/" : "");
      if (e.directory()) {
        if (!key.startsWith(prefix) && !prefix.startsWith(key)) continue;
        if (startAfter != null && key.compareTo(startAfter) <= 0 && !startAfter.startsWith(key)) continue;
        if (delimiter != null && key.startsWith(prefix)) {
          int i = key.indexOf(delimiter, prefix.length());
          if (i >= 0) {
            addPrefix(key.substring(0, i + delimiter.length()));
            continue;
          }
        }
        walk(e.path(), key, false);
      } else {
        if (!key.startsWith(prefix)) continue;
        if (startAfter != null && key.compareTo(startAfter) <= 0) continue;
        if (delimiter != null) {
          int i = key.indexOf(delimiter, prefix.length());
          if (i >= 0) {
            addPrefix(key.substring(0, i + delimiter.length()));
            continue;
          }
        }
        if (full()) return;
        contents.add(new Item(key, e));
        last = key;
      }
    }
  }

  private void addPrefix(String p) {
    if (p.equals(lastPrefix) || (startAfter != null && p.compareTo(startAfter) <= 0)) return;
    if (full()) return;
    prefixes.add(p);
    lastPrefix = p;
    last = p;
  }

  /** True (and the walk ends) when a page is full and one more item exists. */
  private boolean full() {
    if (contents.size() + prefixes.size() < maxKeys) return false;
    truncated = true;
    done = true;
    return true;
  }
}
