package org.ecpds.master.service;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.ecpds.master.db.Database;

/**
 * What OpenECPDS keeps about a data user beside its login: the country (ISO 3166 alpha-2) and the
 * categories an operator assigned (REST v1 incoming/user/add and incoming/category/add).
 */
public final class IncomingProfiles {
  private final Database db;
  private final UserService users;

  public IncomingProfiles(Database db, UserService users) {
    this.db = db;
    this.users = users;
  }

  /** Two letters, stored upper case; null or "" means none. */
  public static String checkIso(String iso) {
    if (iso == null || iso.isEmpty()) return "";
    if (!iso.matches("[A-Za-z]{2}")) throw new IllegalArgumentException("iso must be a two-letter country code, got '" + iso + "'");
    return iso.toUpperCase(Locale.ROOT);
  }

  public String iso(String user) {
    long id = users.incoming(user).id();
    return db.jdbi().withHandle(h -> h.createQuery("SELECT iso FROM incoming_user WHERE id = :id").bind("id", id)
        .mapTo(String.class).one());
  }

  public void setIso(String user, String iso) {
    String value = checkIso(iso);
    long id = users.incoming(user).id();
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE incoming_user SET iso = :iso WHERE id = :id").bind("iso", value)
        .bind("id", id).execute());
  }

  /** Sorted by name in Java's order (the same on every database, whatever its collation). */
  public List<String> categories(String user) {
    long id = users.incoming(user).id();
    return db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM incoming_category WHERE user_id = :id")
        .bind("id", id).mapTo(String.class).list()).stream().sorted().toList();
  }

  /** Replaces the user's categories (names as for users: 1-64 of A-Z a-z 0-9 _ . -). */
  public void setCategories(String user, List<String> categories) {
    TreeSet<String> names = new TreeSet<>();
    java.util.Map<String, String> folded = new java.util.HashMap<>(); // a case-insensitive key on MariaDB
    for (String c : categories == null ? List.<String>of() : categories) {
      Names.check("category", c);
      String other = folded.putIfAbsent(c.toLowerCase(Locale.ROOT), c);
      if (other != null && !other.equals(c)) {
        throw new IllegalArgumentException("categories '" + other + "' and '" + c + "' differ only in case");
      }
      names.add(c);
    }
    long id = users.incoming(user).id();
    db.jdbi().useTransaction(h -> {
      h.createUpdate("DELETE FROM incoming_category WHERE user_id = :id").bind("id", id).execute();
      for (String c : names) {
        h.createUpdate("INSERT INTO incoming_category (user_id, name) VALUES (:id, :n)").bind("id", id).bind("n", c)
            .execute();
      }
    });
  }
}
