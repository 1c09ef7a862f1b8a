-- OpenECPDS's REST v1 incoming/user/add and incoming/category/add: a data user's country (ISO
-- 3166 alpha-2, '' when not given) and the categories an operator assigns to the user (free
-- names, at most one row per name).
ALTER TABLE incoming_user ADD COLUMN iso VARCHAR(2) NOT NULL DEFAULT '';

CREATE TABLE incoming_category (
  user_id  BIGINT      NOT NULL,
  name     VARCHAR(64) NOT NULL,
  CONSTRAINT pk_incoming_category PRIMARY KEY (user_id, name),
  CONSTRAINT fk_ic_user FOREIGN KEY (user_id) REFERENCES incoming_user (id) ON DELETE CASCADE
);
