package org.ecpds.master.scheduler;

/**
 * What the retrieval scheduler needs of a Preset data file: where to fetch it from, in which order,
 * and how its earlier attempts went. Travels with the registration event.
 */
public record PresetFile(long dataFileId, long destinationId, String destination, String target, long hostId, String path, long expectedSize, int priority,
    String groupBy, boolean deleteOriginal, int attempts, long dueMs) {

  PresetFile withDue(long nextDueMs) {
    return new PresetFile(dataFileId, destinationId, destination, target, hostId, path, expectedSize, priority, groupBy,
        deleteOriginal, attempts, nextDueMs);
  }

  PresetFile failedAgain(long nextDueMs) {
    return new PresetFile(dataFileId, destinationId, destination, target, hostId, path, expectedSize, priority, groupBy, deleteOriginal,
        attempts + 1, nextDueMs);
  }
}
