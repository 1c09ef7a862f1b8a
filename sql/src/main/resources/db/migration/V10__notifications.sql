-- MQTT notifications. A data file pushed with event=true flags its transfers (an alias rule may
-- override the flag per transfer). When a flagged transfer becomes Done, or arrives StandBy on a
-- destination served only by the portal ("available"), one notification_outbox row is written in
-- the same transaction as the status change; the master's publisher drains the table and deletes a
-- row only once the broker has acknowledged it. Rows go with their transfer when it is purged.
ALTER TABLE data_file ADD COLUMN event BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE data_transfer ADD COLUMN event BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE notification_outbox (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  transfer_id  BIGINT        NOT NULL,
  kind         VARCHAR(16)   NOT NULL,
  created_ms   BIGINT        NOT NULL,
  due_ms       BIGINT        NOT NULL,
  attempts     INT           NOT NULL DEFAULT 0,
  last_error   VARCHAR(1024) NOT NULL DEFAULT '',
  CONSTRAINT fk_outbox_transfer FOREIGN KEY (transfer_id) REFERENCES data_transfer (id) ON DELETE CASCADE
);
-- the publisher's scan: rows due now, oldest first
CREATE INDEX ix_outbox_due ON notification_outbox (due_ms, id);
