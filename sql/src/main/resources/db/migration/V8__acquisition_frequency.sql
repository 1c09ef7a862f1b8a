-- Acquisition Frequency of an acquisition host (OpenECPDS's acquisitionFrequency): how often the
-- Acquisition Scheduler lists its directories, in milliseconds. Default 5 minutes.
ALTER TABLE host ADD COLUMN acquisition_frequency_ms BIGINT NOT NULL DEFAULT 300000;
