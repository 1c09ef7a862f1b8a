package org.ecpds.cli;

/** A group's progress as GET /datafile/group/{name} reports it. */
record GroupState(long files, long fetched, boolean complete, boolean failed) {}
