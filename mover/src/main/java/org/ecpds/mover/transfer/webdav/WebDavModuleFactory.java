package org.ecpds.mover.transfer.webdav;

import java.util.Set;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.http.HttpClients;

/** Creates WebDAV sessions ({@link WebDavModule}); they share HttpClients and so keep-alive connections. */
public final class WebDavModuleFactory implements TransferModuleFactory {
  private final HttpClients clients = new HttpClients();

  @Override
  public Set<String> methods() {
    return Set.of("webdav", "webdavs");
  }

  @Override
  public TransferModule create() {
    return new WebDavModule(clients);
  }

  @Override
  public void close() {
    clients.close();
  }
}
