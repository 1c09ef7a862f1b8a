package org.ecpds.master.domain;

/** One product in the store. */
public record DataFile(long id, long destinationId, String source, String target, long size, String sha256,
    boolean arrived, long arrivedMs, Long moverId, String volume, String metadataJson, int priority, boolean standby,
    String caller, long createdMs, long expiryMs, long scheduledMs, boolean asap) {}
