-- The end of a retrieval group looks up its fetched members (fetch_status DONE, group_by G). With an
-- index on fetch_status alone both databases could only walk every fetched file ever kept, a read that
-- grew with the store (docs/benchmarks.md, "Retrieval: a group's release read every fetched file").
-- (fetch_status, group_by) finds them directly and serves the lookups by status alone as well.
CREATE INDEX ix_df_fetch_group ON data_file (fetch_status, group_by);
DROP INDEX ix_df_fetch_status ON data_file;
