package org.ecpds.mover.transfer;

import java.io.InputStream;

/** One file of a {@link TransferModule#putAll} batch; its source is opened only when its turn comes. */
public interface BatchPut {
  /** The content; a TransferException (e.g. CANCELLED, LOCAL) fails this file only. */
  InputStream open() throws TransferException;

  /** Bytes {@link #open} gives (known: a batch member is a stored file). */
  long size();

  String targetPath();

  ProgressListener progress();
}
