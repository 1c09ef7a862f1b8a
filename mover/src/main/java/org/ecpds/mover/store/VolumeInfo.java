package org.ecpds.mover.store;

import java.nio.file.Path;

/** One data store volume and its space, as reported to the master. */
public record VolumeInfo(Path path, long freeBytes, long totalBytes) {}
