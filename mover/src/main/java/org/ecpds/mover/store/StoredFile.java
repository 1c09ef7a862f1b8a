package org.ecpds.mover.store;

import java.nio.file.Path;

/** A data file durably held by this mover: content is fsynced and under its final name. */
public record StoredFile(long dataFileId, long size, String sha256, Path volume, Path path) {}
