package org.ecpds.mover.transfer;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/** The protocols this mover speaks, chosen by {@link HostSpec#getTransferMethod()}. */
public final class TransferModules implements AutoCloseable {
  private final Map<String, TransferModuleFactory> byMethod = new TreeMap<>();

  public TransferModules register(TransferModuleFactory factory) {
    for (String m : factory.methods()) byMethod.put(m.toLowerCase(Locale.ROOT), factory);
    return this;
  }

  /** A new, unconnected session for the host's transfer method. */
  public TransferModule create(HostSpec host) throws TransferException {
    String method = host.getTransferMethod().trim().toLowerCase(Locale.ROOT);
    TransferModuleFactory f = byMethod.get(method);
    if (f == null) {
      throw new TransferException(ErrorKind.PROTOCOL,
          "transfer method '" + host.getTransferMethod() + "' is not supported by this mover (known: "
              + byMethod.keySet() + ")");
    }
    return f.create();
  }

  public java.util.Set<String> methods() {
    return java.util.Set.copyOf(byMethod.keySet());
  }

  @Override
  public void close() {
    byMethod.values().stream().distinct().forEach(TransferModuleFactory::close);
  }
}
