package org.ecpds.master.domain;

/** One status change of a transfer. */
public record HistoryRow(long id, long transferId, String status, long timeMs, Long hostId, String comment,
    String userName) {}
