package org.ecpds.master.domain;

/** A data mover as the database knows it. */
public record MoverRecord(long id, String name, boolean online, String uploadUrl, int maxTransfers, long lastSeenMs) {}
