package org.ecpds.master.scheduler;

import java.util.Map;

/** What a dispatch needs to know of a data file; travels with the arrival event, shared by its transfers. */
public record FileFacts(long id, long moverId, long size, String sha256, String source, String target,
    Map<String, String> metadata, long arrivedMs) {}
