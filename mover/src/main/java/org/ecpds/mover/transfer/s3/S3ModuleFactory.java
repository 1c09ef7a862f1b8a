package org.ecpds.mover.transfer.s3;

import java.util.Set;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;

/**
 * Creates S3 sessions. Each session owns its minio client and okhttp connection pool (reused for
 * every request of the session, and cancellable as a whole by {@link TransferModule#close()}).
 */
public final class S3ModuleFactory implements TransferModuleFactory {
  @Override
  public Set<String> methods() {
    return Set.of("s3");
  }

  @Override
  public TransferModule create() {
    return new S3Module();
  }
}
