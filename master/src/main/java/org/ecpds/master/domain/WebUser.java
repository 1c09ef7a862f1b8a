package org.ecpds.master.domain;

/** An operator of the monitor and the REST API. */
public record WebUser(long id, String name, String passwordHash, String roles, boolean enabled, long createdMs) {}
