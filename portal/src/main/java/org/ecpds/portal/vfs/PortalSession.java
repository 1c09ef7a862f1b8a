package org.ecpds.portal.vfs;

import java.util.Objects;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;

/** Who is connected, over what, and to which backend: everything a session's file system needs. */
public record PortalSession(PortalBackend backend, PortalUser user, String protocol, String remoteAddress,
    String moverName) {
  public PortalSession {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(protocol, "protocol");
    remoteAddress = remoteAddress == null ? "" : remoteAddress;
    moverName = moverName == null ? "" : moverName;
  }
}
