package org.ecpds.portal;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/** Where file content comes from (the mover's data store); a FileChannel gives the fastest reads. */
@FunctionalInterface
public interface ContentSource {
  SeekableByteChannel open(long dataFileId) throws IOException;
}
