package org.ecpds.mover.link;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.ecpds.mover.store.DataStore;
import org.ecpds.proto.Stored;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored reports the master has not yet answered for good, one small file each ({@code <id>.stored},
 * written temp + fsync + rename), so that neither a lost ack nor a restart of the mover loses an
 * arrival: the link sends them again after every Welcome. The content stays in the store until the
 * master accepts it or refuses it for good; a refusal deletes it here.
 */
public final class StoredOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(StoredOutbox.class);
  private static final String SUFFIX = ".stored";

  private final Path dir;
  private final DataStore store;
  private final Map<Long, Stored> pending = new ConcurrentSkipListMap<>();

  private StoredOutbox(Path dir, DataStore store) {
    this.dir = dir;
    this.store = store;
  }

  /** Opens (creating when needed) the outbox in {@code dir} and loads the reports left by an earlier run. */
  public static StoredOutbox open(Path dir, DataStore store) throws IOException {
    Files.createDirectories(dir);
    StoredOutbox o = new StoredOutbox(dir, store);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
          Files.deleteIfExists(p); // a temp file of an interrupted write
          continue;
        }
        Stored s = Stored.parseFrom(Files.readAllBytes(p));
        o.pending.put(s.getDataFileId(), s);
      }
    }
    if (!o.pending.isEmpty()) LOG.info("{} stored data files still to report to the master", o.pending.size());
    return o;
  }

  /** An outbox that lives only as long as the process (tests without a store). */
  public static StoredOutbox inMemory() {
    return new StoredOutbox(null, null);
  }

  /** Keeps the report until the master answers it for good. */
  void add(Stored s) {
    pending.put(s.getDataFileId(), s);
    if (dir == null) return;
    Path tmp = dir.resolve(s.getDataFileId() + SUFFIX + ".tmp");
    try {
      Files.write(tmp, s.toByteArray());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file(s.getDataFileId()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // still sent from memory; only a restart of the mover before the answer would forget it
      LOG.error("cannot keep the report of data file {} on disk: {}", s.getDataFileId(), e.toString());
    }
  }

  /** The master recorded the arrival. */
  void accepted(long dataFileId) {
    forget(dataFileId);
  }

  /** The master does not know or want the data file, for good: its content goes too. */
  void refused(long dataFileId) {
    forget(dataFileId);
    if (store == null) return;
    try {
      if (store.delete(dataFileId)) LOG.info("removed data file {}: the master refused it", dataFileId);
    } catch (IOException e) {
      LOG.error("cannot remove refused data file {}: {}", dataFileId, e.toString());
    }
  }

  /**
   * The reports to send again. One whose content is no longer held is dropped: announcing it
   * would make the master record an arrival whose content is gone.
   */
  List<Stored> pending() {
    List<Stored> out = new ArrayList<>();
    for (Stored s : pending.values()) {
      if (store != null && store.locate(s.getDataFileId()).isEmpty()) {
        LOG.warn("data file {} is no longer held; its arrival is not reported", s.getDataFileId());
        forget(s.getDataFileId());
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** Whether the report of that data file still waits for a final answer. */
  public boolean isPending(long dataFileId) {
    return pending.containsKey(dataFileId);
  }

  public int size() {
    return pending.size();
  }

  private void forget(long dataFileId) {
    if (pending.remove(dataFileId) == null || dir == null) return;
    try {
      Files.deleteIfExists(file(dataFileId));
    } catch (IOException e) {
      // sent again after a restart: the master answers a repeated report the same way
      LOG.warn("cannot remove the report of data file {}: {}", dataFileId, e.toString());
    }
  }

  private Path file(long dataFileId) {
    return dir.resolve(dataFileId + SUFFIX);
  }
}
