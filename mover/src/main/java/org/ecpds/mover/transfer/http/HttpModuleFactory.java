package org.ecpds.mover.transfer.http;

import java.util.Set;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;

/** Creates HTTP/HTTPS sessions ({@link HttpModule}); they share HttpClients and so keep-alive connections. */
public final class HttpModuleFactory implements TransferModuleFactory {
  private final HttpClients clients = new HttpClients();

  @Override
  public Set<String> methods() {
    return Set.of("http", "https");
  }

  @Override
  public TransferModule create() {
    return new HttpModule(clients);
  }

  @Override
  public void close() {
    clients.close();
  }
}
