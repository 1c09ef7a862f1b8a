package org.ecpds.master.domain;

/** A host linked to a destination; lower priority is tried first. */
public record HostAssociation(Host host, int priority) {}
