package org.ecpds.mover.transfer.test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;

/** Sessions of the "test" method; the transfer counter behind "every N transfers" is shared. */
public final class TestModuleFactory implements TransferModuleFactory {
  private final AtomicLong transfers = new AtomicLong();

  @Override
  public Set<String> methods() {
    return Set.of("test");
  }

  @Override
  public TransferModule create() {
    return new TestModule(transfers);
  }
}
