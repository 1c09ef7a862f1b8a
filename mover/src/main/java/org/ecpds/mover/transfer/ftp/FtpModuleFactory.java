package org.ecpds.mover.transfer.ftp;

import java.util.Set;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;

/**
 * FTP and FTPS sessions ({@link FtpModule}): methods "ftp", "ftps" (explicit TLS) and
 * "ftps-implicit". Sessions share nothing: each owns its commons-net client.
 */
public final class FtpModuleFactory implements TransferModuleFactory {
  @Override
  public Set<String> methods() {
    return Set.of("ftp", "ftps", "ftps-implicit");
  }

  @Override
  public TransferModule create() {
    return new FtpModule();
  }
}
