package org.ecpds.portal.fs;

import org.ecpds.common.portal.PortalRights;
import org.ecpds.proto.DestinationAccess;

/** The project's one permission rule ({@link PortalRights}, also the master's) for the portal's permissions. */
public final class PathRuleAccess implements AccessRule {

  @Override
  public boolean allows(DestinationAccess a, FsPermission permission, String relative) {
    return PortalRights.allows(a, PortalRights.Right.valueOf(permission.name()), relative);
  }
}
