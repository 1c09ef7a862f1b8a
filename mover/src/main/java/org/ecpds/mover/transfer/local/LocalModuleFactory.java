package org.ecpds.mover.transfer.local;

import java.util.Set;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;

/** Sessions on a local or shared directory (method "local"). */
public final class LocalModuleFactory implements TransferModuleFactory {
  @Override
  public Set<String> methods() {
    return Set.of("local");
  }

  @Override
  public TransferModule create() {
    return new LocalModule();
  }
}
