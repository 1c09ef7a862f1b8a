package org.ecpds.mover.transfer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.ecpds.proto.ErrorKind;

/** A batch member from bytes; with {@code refuse} its source fails to open (as a cancelled job's does). */
public record BytesPut(String targetPath, byte[] content, ErrorKind refuse) implements BatchPut {
  public static BytesPut of(String target, String text) {
    return new BytesPut(target, text.getBytes(StandardCharsets.UTF_8), null);
  }

  public static BytesPut refused(String target, ErrorKind kind) {
    return new BytesPut(target, new byte[1], kind);
  }

  @Override
  public InputStream open() throws TransferException {
    if (refuse != null) throw new TransferException(refuse, "refused by the test");
    return new ByteArrayInputStream(content);
  }

  @Override
  public long size() {
    return content.length;
  }

  @Override
  public ProgressListener progress() {
    return ProgressListener.NONE;
  }
}
