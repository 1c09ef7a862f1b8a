-- OpenECPDS's product status (ecpds -expected/-started/-completed/-reset): a production job tells
-- the master where a product (stream, base time, type, step) is, for monitoring. One row per
-- product; -reset deletes it. status_code is INIT (expected), EXEC (started) or DONE (completed).
CREATE TABLE product_status (
  id           BIGINT AUTO_INCREMENT PRIMARY KEY,
  stream       VARCHAR(64)  NOT NULL,
  time_base    VARCHAR(32)  NOT NULL,
  type         VARCHAR(64)  NOT NULL DEFAULT '',
  step         BIGINT       NOT NULL,
  status_code  VARCHAR(8)   NOT NULL,
  schedule_ms  BIGINT       NULL,
  updated_ms   BIGINT       NOT NULL,
  updated_by   VARCHAR(128) NOT NULL,
  CONSTRAINT uq_product_status UNIQUE (stream, time_base, type, step)
);
