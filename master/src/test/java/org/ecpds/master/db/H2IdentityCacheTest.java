package org.ecpds.master.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2IdentityCacheTest {
  @TempDir Path dir;

  private Database open() {
    return new Database("jdbc:h2:file:" + dir.resolve("ecpds") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE", "sa", "", 2);
  }

  private static List<Map<String, Object>> identities(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT table_name, identity_cache FROM information_schema.columns"
        + " WHERE table_schema = CURRENT_SCHEMA AND is_identity = 'YES'").mapToMap().list());
  }

  @Test
  void everyIdentityColumnOfTheSchemaCachesManyValuesAndStillCountsOnAfterAReopen() {
    long before;
    try (Database db = open()) {
      List<Map<String, Object>> ids = identities(db);
      assertTrue(ids.stream().anyMatch(r -> "transfer_history".equals(r.get("table_name"))), ids.toString());
      for (Map<String, Object> r : ids) {
        assertEquals(H2IdentityCache.CACHE, ((Number) r.get("identity_cache")).intValue(), r.toString());
      }
      before = insertDestination(db, "first");
    }
    try (Database db = open()) { // a second start finds nothing to alter and ids go on upwards
      identities(db).forEach(r -> assertEquals(H2IdentityCache.CACHE, ((Number) r.get("identity_cache")).intValue()));
      long after = insertDestination(db, "second");
      assertTrue(after > before, after + " after " + before);
    }
  }

  private static long insertDestination(Database db, String name) {
    return db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO destination (name, created_ms) VALUES (:n, 0)").bind("n", name)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }
}
