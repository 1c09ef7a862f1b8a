-- What an acquisition run has taken, per destination and acquisition host: one row per dedup key
-- (the rule language's DedupKey, as text), with the size and modification time listed when it was
-- taken (the requeue decision compares with them) and the data file it was registered as. The key is
-- unique through its SHA-256 (an index on the whole text would exceed MariaDB's key length).
CREATE TABLE acquired_file (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  destination_id  BIGINT        NOT NULL,
  host_id         BIGINT        NOT NULL,
  dedup_hash      CHAR(64)      NOT NULL,
  dedup_key       VARCHAR(3072) NOT NULL,
  size            BIGINT        NOT NULL,
  mtime_ms        BIGINT        NOT NULL,
  data_file_id    BIGINT,
  taken_ms        BIGINT        NOT NULL,
  CONSTRAINT uk_acquired_file UNIQUE (destination_id, host_id, dedup_hash),
  CONSTRAINT fk_acquired_file_destination FOREIGN KEY (destination_id) REFERENCES destination(id) ON DELETE CASCADE,
  CONSTRAINT fk_acquired_file_host FOREIGN KEY (host_id) REFERENCES host(id) ON DELETE CASCADE
);
