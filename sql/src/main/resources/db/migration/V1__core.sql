-- ecpds core schema. Times are epoch milliseconds (BIGINT) everywhere.
-- Written in the MariaDB dialect; also runs on H2 in MODE=MariaDB (the embedded default).

CREATE TABLE destination (
  id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
  name                VARCHAR(64)  NOT NULL,
  comment             VARCHAR(255) NOT NULL DEFAULT '',
  enabled             BOOLEAN      NOT NULL DEFAULT TRUE,
  max_connections     INT          NOT NULL DEFAULT 1,
  retry_count         INT          NOT NULL DEFAULT 3,
  retry_frequency_ms  BIGINT       NOT NULL DEFAULT 60000,
  max_requeue         INT          NOT NULL DEFAULT 3,
  on_host_failure     VARCHAR(16)  NOT NULL DEFAULT 'NEXT_AND_RETRY',
  created_ms          BIGINT       NOT NULL,
  CONSTRAINT uk_destination_name UNIQUE (name)
);

CREATE TABLE transfer_method (
  name     VARCHAR(32)  NOT NULL PRIMARY KEY,
  module   VARCHAR(32)  NOT NULL,
  comment  VARCHAR(255) NOT NULL DEFAULT ''
);
INSERT INTO transfer_method (name, module, comment) VALUES ('sftp', 'sftp', 'SFTP (Apache MINA SSHD client)');

CREATE TABLE host (
  id               BIGINT AUTO_INCREMENT PRIMARY KEY,
  name             VARCHAR(64)   NOT NULL,
  type             VARCHAR(16)   NOT NULL,
  transfer_method  VARCHAR(32)   NOT NULL,
  address          VARCHAR(255)  NOT NULL,
  port             INT           NOT NULL DEFAULT 0,
  login            VARCHAR(255)  NOT NULL DEFAULT '',
  password_enc     VARCHAR(1024) NOT NULL DEFAULT '',
  directory        VARCHAR(1024) NOT NULL DEFAULT '',
  options_json     VARCHAR(8000) NOT NULL DEFAULT '{}',
  enabled          BOOLEAN       NOT NULL DEFAULT TRUE,
  created_ms       BIGINT        NOT NULL,
  CONSTRAINT uk_host_name UNIQUE (name),
  CONSTRAINT fk_host_method FOREIGN KEY (transfer_method) REFERENCES transfer_method (name)
);

CREATE TABLE destination_host (
  destination_id  BIGINT NOT NULL,
  host_id         BIGINT NOT NULL,
  priority        INT    NOT NULL DEFAULT 0,
  PRIMARY KEY (destination_id, host_id),
  CONSTRAINT fk_dh_destination FOREIGN KEY (destination_id) REFERENCES destination (id) ON DELETE CASCADE,
  CONSTRAINT fk_dh_host FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE CASCADE
);

CREATE TABLE alias (
  destination_id        BIGINT       NOT NULL,
  target_destination_id BIGINT       NOT NULL,
  pattern               VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (destination_id, target_destination_id),
  CONSTRAINT fk_alias_source FOREIGN KEY (destination_id) REFERENCES destination (id) ON DELETE CASCADE,
  CONSTRAINT fk_alias_target FOREIGN KEY (target_destination_id) REFERENCES destination (id) ON DELETE CASCADE
);

CREATE TABLE mover (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  name            VARCHAR(64)   NOT NULL,
  online          BOOLEAN       NOT NULL DEFAULT FALSE,
  upload_url      VARCHAR(255)  NOT NULL DEFAULT '',
  max_transfers   INT           NOT NULL DEFAULT 0,
  last_seen_ms    BIGINT        NOT NULL DEFAULT 0,
  CONSTRAINT uk_mover_name UNIQUE (name)
);

CREATE TABLE volume (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  mover_id     BIGINT       NOT NULL,
  path         VARCHAR(512) NOT NULL,
  free_bytes   BIGINT       NOT NULL DEFAULT 0,
  total_bytes  BIGINT       NOT NULL DEFAULT 0,
  CONSTRAINT fk_volume_mover FOREIGN KEY (mover_id) REFERENCES mover (id) ON DELETE CASCADE
);

CREATE TABLE data_file (
  id               BIGINT AUTO_INCREMENT PRIMARY KEY,
  destination_id   BIGINT        NOT NULL,
  source           VARCHAR(1024) NOT NULL,
  target           VARCHAR(1024) NOT NULL,
  size             BIGINT        NOT NULL DEFAULT -1,
  sha256           VARCHAR(64)   NOT NULL DEFAULT '',
  arrived          BOOLEAN       NOT NULL DEFAULT FALSE,
  arrived_ms       BIGINT        NOT NULL DEFAULT 0,
  mover_id         BIGINT,
  volume           VARCHAR(512)  NOT NULL DEFAULT '',
  metadata_json    VARCHAR(4000) NOT NULL DEFAULT '{}',
  priority         INT           NOT NULL DEFAULT 99,
  standby          BOOLEAN       NOT NULL DEFAULT FALSE,
  caller           VARCHAR(64)   NOT NULL DEFAULT '',
  created_ms       BIGINT        NOT NULL,
  expiry_ms        BIGINT        NOT NULL,
  CONSTRAINT fk_df_destination FOREIGN KEY (destination_id) REFERENCES destination (id),
  CONSTRAINT fk_df_mover FOREIGN KEY (mover_id) REFERENCES mover (id)
);
CREATE INDEX ix_data_file_expiry ON data_file (expiry_ms);

CREATE TABLE data_transfer (
  id               BIGINT AUTO_INCREMENT PRIMARY KEY,
  data_file_id     BIGINT        NOT NULL,
  destination_id   BIGINT        NOT NULL,
  host_id          BIGINT,
  mover_id         BIGINT,
  target           VARCHAR(1024) NOT NULL,
  status           CHAR(4)       NOT NULL,
  priority         INT           NOT NULL DEFAULT 99,
  queue_ms         BIGINT        NOT NULL,
  start_ms         BIGINT        NOT NULL DEFAULT 0,
  finish_ms        BIGINT        NOT NULL DEFAULT 0,
  expiry_ms        BIGINT        NOT NULL,
  sent             BIGINT        NOT NULL DEFAULT 0,
  requeue_count    INT           NOT NULL DEFAULT 0,
  failure_count    INT           NOT NULL DEFAULT 0,
  message          VARCHAR(1024) NOT NULL DEFAULT '',
  user_status      VARCHAR(64)   NOT NULL DEFAULT '',
  CONSTRAINT fk_dt_data_file FOREIGN KEY (data_file_id) REFERENCES data_file (id) ON DELETE CASCADE,
  CONSTRAINT fk_dt_destination FOREIGN KEY (destination_id) REFERENCES destination (id),
  CONSTRAINT fk_dt_host FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE SET NULL
);
-- the scheduler's queue scan: one destination, one status, in dispatch order
CREATE INDEX ix_dt_queue ON data_transfer (destination_id, status, priority, queue_ms, id);
CREATE INDEX ix_dt_status ON data_transfer (status);
CREATE INDEX ix_dt_data_file ON data_transfer (data_file_id);

CREATE TABLE transfer_history (
  id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  transfer_id   BIGINT        NOT NULL,
  status        CHAR(4)       NOT NULL,
  time_ms       BIGINT        NOT NULL,
  host_id       BIGINT,
  comment       VARCHAR(1024) NOT NULL DEFAULT '',
  user_name     VARCHAR(64)   NOT NULL DEFAULT '',
  CONSTRAINT fk_th_transfer FOREIGN KEY (transfer_id) REFERENCES data_transfer (id) ON DELETE CASCADE
);
CREATE INDEX ix_th_transfer ON transfer_history (transfer_id, id);

CREATE TABLE incoming_user (
  id             BIGINT AUTO_INCREMENT PRIMARY KEY,
  name           VARCHAR(64)  NOT NULL,
  password_hash  VARCHAR(255) NOT NULL,
  email          VARCHAR(255) NOT NULL DEFAULT '',
  enabled        BOOLEAN      NOT NULL DEFAULT TRUE,
  created_ms     BIGINT       NOT NULL,
  CONSTRAINT uk_incoming_user_name UNIQUE (name)
);

CREATE TABLE incoming_permission (
  user_id         BIGINT  NOT NULL,
  destination_id  BIGINT  NOT NULL,
  can_get         BOOLEAN NOT NULL DEFAULT TRUE,
  can_put         BOOLEAN NOT NULL DEFAULT FALSE,
  can_delete      BOOLEAN NOT NULL DEFAULT FALSE,
  can_dir         BOOLEAN NOT NULL DEFAULT TRUE,
  PRIMARY KEY (user_id, destination_id),
  CONSTRAINT fk_ip_user FOREIGN KEY (user_id) REFERENCES incoming_user (id) ON DELETE CASCADE,
  CONSTRAINT fk_ip_destination FOREIGN KEY (destination_id) REFERENCES destination (id) ON DELETE CASCADE
);

CREATE TABLE web_user (
  id             BIGINT AUTO_INCREMENT PRIMARY KEY,
  name           VARCHAR(64)  NOT NULL,
  password_hash  VARCHAR(255) NOT NULL,
  roles          VARCHAR(255) NOT NULL DEFAULT 'admin',
  enabled        BOOLEAN      NOT NULL DEFAULT TRUE,
  created_ms     BIGINT       NOT NULL,
  CONSTRAINT uk_web_user_name UNIQUE (name)
);
