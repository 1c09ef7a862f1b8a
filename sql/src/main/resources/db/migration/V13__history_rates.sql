-- The monitor's rate plot reads the DONE entries of the last hour: find them by status and time
-- instead of scanning the whole history.
CREATE INDEX ix_th_status_time ON transfer_history (status, time_ms);
