-- S3 access keys of incoming users (Data Portal S3 API). SigV4 needs the secret itself, so it is
-- kept encrypted with the master key (like host passwords), never hashed; it is shown once, when made.
CREATE TABLE incoming_user_s3_key (
  id              BIGINT AUTO_INCREMENT PRIMARY KEY,
  user_id         BIGINT        NOT NULL,
  access_key_id   VARCHAR(64)   NOT NULL,
  secret_enc      VARCHAR(512)  NOT NULL,
  created_ms      BIGINT        NOT NULL,
  CONSTRAINT uk_s3_access_key UNIQUE (access_key_id),
  CONSTRAINT fk_is3k_user FOREIGN KEY (user_id) REFERENCES incoming_user (id) ON DELETE CASCADE
);
