-- Data Portal in full: finer permissions with path rules, directories made through the portal and
-- public keys for SFTP/SCP login.

-- OpenECPDS's get|put|delete|dir|mkdir|rmdir|rename|size|mtime.
ALTER TABLE incoming_permission ADD COLUMN can_mkdir  BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE incoming_permission ADD COLUMN can_rmdir  BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE incoming_permission ADD COLUMN can_rename BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE incoming_permission ADD COLUMN can_size   BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE incoming_permission ADD COLUMN can_mtime  BOOLEAN NOT NULL DEFAULT TRUE;

-- PathPermRegex: when a permission has rules, it holds only for paths (relative to the destination)
-- that fully match one of them. Saved and removed with the permission they refine.
CREATE TABLE incoming_permission_rule (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  user_id         BIGINT        NOT NULL,
  destination_id  BIGINT        NOT NULL,
  permission      VARCHAR(16)   NOT NULL,
  regex           VARCHAR(1024) NOT NULL,
  CONSTRAINT fk_ipr_permission FOREIGN KEY (user_id, destination_id)
    REFERENCES incoming_permission (user_id, destination_id) ON DELETE CASCADE
);
CREATE INDEX ix_ipr_user ON incoming_permission_rule (user_id, destination_id);

-- Directories a portal user made (listed even while empty). Files carry their directories in their
-- targets; these rows only hold the ones made explicitly. 512 characters keep the unique key within
-- MariaDB's index size in every character set.
CREATE TABLE portal_directory (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  destination_id  BIGINT       NOT NULL,
  path            VARCHAR(512) NOT NULL,
  created_ms      BIGINT       NOT NULL,
  CONSTRAINT uk_portal_directory UNIQUE (destination_id, path),
  CONSTRAINT fk_pd_destination FOREIGN KEY (destination_id) REFERENCES destination (id) ON DELETE CASCADE
);

-- Public keys (OpenSSH authorized_keys form) an incoming user logs in with; the fingerprint
-- (SHA256:...) identifies a key whatever its comment.
CREATE TABLE incoming_user_key (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  user_id         BIGINT        NOT NULL,
  public_key      VARCHAR(4096) NOT NULL,
  fingerprint     VARCHAR(128)  NOT NULL,
  created_ms      BIGINT        NOT NULL,
  CONSTRAINT uk_incoming_user_key UNIQUE (user_id, fingerprint),
  CONSTRAINT fk_iuk_user FOREIGN KEY (user_id) REFERENCES incoming_user (id) ON DELETE CASCADE
);

-- Portal uploads: which portal protocol registered the file (empty for CLI/REST pushes), so that an
-- arrival replaces the older files of the same name for portal users.
ALTER TABLE data_file ADD COLUMN portal_protocol VARCHAR(16) NOT NULL DEFAULT '';
