-- Data Retrieval Scheduler: data files registered by their source location (Preset) and fetched
-- by a mover later (ecpds -groupby, REST datafile/put, acquisition). Pushed files keep the defaults.

-- where the content comes from: a host (acquisition or source type) and data_file.source as the path on it
ALTER TABLE data_file ADD COLUMN source_host_id  BIGINT;
ALTER TABLE data_file ADD CONSTRAINT fk_df_source_host FOREIGN KEY (source_host_id) REFERENCES host (id) ON DELETE SET NULL;
-- '' (pushed), SCHE (Preset: waiting for a fetch), FETC (being fetched), DONE (fetched), FAIL (gave up),
-- NONE (-noretrieval: metadata only, never fetched)
ALTER TABLE data_file ADD COLUMN fetch_status    CHAR(4)       NOT NULL DEFAULT '';
-- ecpds -groupby: the transfers of a group are released together once every member is fetched
ALTER TABLE data_file ADD COLUMN group_by        VARCHAR(255)  NOT NULL DEFAULT '';
-- acquisition deleteoriginal / ecpds -remove: delete the source once the copy is stored
ALTER TABLE data_file ADD COLUMN delete_original BOOLEAN       NOT NULL DEFAULT FALSE;
-- failed fetch attempts so far, when the next may start, the last outcome, and the last fetch's duration
ALTER TABLE data_file ADD COLUMN fetch_attempts  INT           NOT NULL DEFAULT 0;
ALTER TABLE data_file ADD COLUMN fetch_due_ms    BIGINT        NOT NULL DEFAULT 0;
ALTER TABLE data_file ADD COLUMN fetch_message   VARCHAR(1024) NOT NULL DEFAULT '';
ALTER TABLE data_file ADD COLUMN fetch_ms        BIGINT        NOT NULL DEFAULT 0;

-- the retrieval scheduler's start-up scan and the group status query
CREATE INDEX ix_df_fetch_status ON data_file (fetch_status);
CREATE INDEX ix_df_group_by ON data_file (group_by);
