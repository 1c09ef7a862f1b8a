-- Data Portal limits per incoming user: concurrent sessions (0 = the mover's portal.maxSessionsPerUser)
-- and byte quotas per rolling period (0 bytes = no quota). Periods are kept in milliseconds.
ALTER TABLE incoming_user ADD COLUMN max_connections    INT    NOT NULL DEFAULT 0;
ALTER TABLE incoming_user ADD COLUMN max_upload_bytes   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incoming_user ADD COLUMN upload_period_ms   BIGINT NOT NULL DEFAULT 86400000;
ALTER TABLE incoming_user ADD COLUMN max_download_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incoming_user ADD COLUMN download_period_ms BIGINT NOT NULL DEFAULT 86400000;

-- What a user moved through the portal, for the quotas: one row per registered upload ('U') and per
-- complete download ('D'). Rows older than the longest period allowed (366 days) are purged.
CREATE TABLE portal_usage (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  user_id         BIGINT      NOT NULL,
  direction       CHAR(1)     NOT NULL,
  bytes           BIGINT      NOT NULL,
  at_ms           BIGINT      NOT NULL,
  CONSTRAINT fk_pu_user FOREIGN KEY (user_id) REFERENCES incoming_user (id) ON DELETE CASCADE
);
CREATE INDEX ix_portal_usage ON portal_usage (user_id, direction, at_ms);
