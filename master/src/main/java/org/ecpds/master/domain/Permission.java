package org.ecpds.master.domain;

/** What an incoming user may do in one destination. */
public record Permission(long userId, long destinationId, String destination, boolean canGet, boolean canPut,
    boolean canDelete, boolean canDir) {}
