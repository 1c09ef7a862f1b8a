-- OpenECPDS delivery rules: destination limits and states, per-host connection caps, scheduled
-- (asap / delay / at) transfers and attempt counters. Defaults keep earlier behaviour.

-- Max Start / Start Frequency: after max_start consecutive failed attempts, wait start_frequency_ms.
ALTER TABLE destination ADD COLUMN max_start          INT          NOT NULL DEFAULT 0;
ALTER TABLE destination ADD COLUMN start_frequency_ms BIGINT       NOT NULL DEFAULT 300000;
-- Max Pending (queued + running + retrying) and Max File Size (bytes): 0 = no limit.
ALTER TABLE destination ADD COLUMN max_pending        INT          NOT NULL DEFAULT 0;
ALTER TABLE destination ADD COLUMN max_file_size      BIGINT       NOT NULL DEFAULT 0;
-- Reset Frequency: time on a backup host after which new transfers go back to the primary.
ALTER TABLE destination ADD COLUMN reset_frequency_ms BIGINT       NOT NULL DEFAULT 0;
-- If Target Exists: OVERWRITE | RESUME; Delete From Spool: ON_EXPIRATION | ON_SUCCESS.
ALTER TABLE destination ADD COLUMN if_target_exists   VARCHAR(16)  NOT NULL DEFAULT 'OVERWRITE';
ALTER TABLE destination ADD COLUMN delete_from_spool  VARCHAR(16)  NOT NULL DEFAULT 'ON_EXPIRATION';
-- OpenECPDS's Properties text (scheduler.*, incoming.*, ...), parsed by the master.
ALTER TABLE destination ADD COLUMN properties         VARCHAR(8000) NOT NULL DEFAULT '';
-- What an operator (or the Retry Count rule) set: ACTIVE | HOLD | STOP, and who.
ALTER TABLE destination ADD COLUMN dispatch_state     VARCHAR(8)   NOT NULL DEFAULT 'ACTIVE';
ALTER TABLE destination ADD COLUMN state_user         VARCHAR(64)  NOT NULL DEFAULT '';

-- A host's own cap on parallel connections over all its destinations: 0 = no limit.
ALTER TABLE host ADD COLUMN max_connections INT NOT NULL DEFAULT 0;

-- asap transfers go first and ignore their scheduled time; start_count counts attempts.
ALTER TABLE data_transfer ADD COLUMN asap        BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE data_transfer ADD COLUMN start_count INT     NOT NULL DEFAULT 0;
ALTER TABLE data_transfer ADD COLUMN resumed_from BIGINT NOT NULL DEFAULT 0;

-- Alias conditions and overrides (alias.pattern): the spec text of one alias.
ALTER TABLE alias MODIFY pattern VARCHAR(4000) NOT NULL DEFAULT '';

-- When a pushed file's transfers may start (-at plus -delay) and whether they go as soon as possible.
ALTER TABLE data_file ADD COLUMN scheduled_ms BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE data_file ADD COLUMN asap         BOOLEAN NOT NULL DEFAULT FALSE;

-- Retry Count now holds the destination after that many consecutive failed transfers: off by default.
ALTER TABLE destination ALTER COLUMN retry_count SET DEFAULT 0;

-- The purge of abandoned uploads (arrived = FALSE, old created_ms) must not scan every data file.
CREATE INDEX ix_data_file_arrival ON data_file (arrived, created_ms);
