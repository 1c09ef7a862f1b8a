package org.ecpds.master.domain;

/** A data user of the portal and of the CLI. */
public record IncomingUser(long id, String name, String passwordHash, String email, boolean enabled, long createdMs) {}
