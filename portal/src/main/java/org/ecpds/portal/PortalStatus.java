package org.ecpds.portal;

import io.grpc.StatusRuntimeException;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsException.Kind;
import org.ecpds.portal.fs.FsPath;

/** The master's refusals (gRPC status codes, see PortalService in ecpds.proto) as portal error kinds. */
public final class PortalStatus {
  private PortalStatus() {}

  /**
   * @param precondition what FAILED_PRECONDITION means for this call: NOT_EMPTY for rmdir, NOT_DIRECTORY
   *     (a parent is a file) for the others
   */
  public static FsException toFs(StatusRuntimeException e, FsPath path, Kind precondition) {
    Kind kind = switch (e.getStatus().getCode()) {
      case PERMISSION_DENIED -> Kind.DENIED;
      case NOT_FOUND -> Kind.NOT_FOUND;
      case ALREADY_EXISTS -> Kind.EXISTS;
      case FAILED_PRECONDITION -> precondition;
      case INVALID_ARGUMENT -> Kind.INVALID_NAME;
      case RESOURCE_EXHAUSTED -> Kind.QUOTA_EXCEEDED;
      default -> Kind.UNAVAILABLE; // UNAVAILABLE, DEADLINE_EXCEEDED and anything unexpected: worth a retry
    };
    String detail = e.getStatus().getDescription();
    return new FsException(kind, path, detail == null || detail.isBlank() ? kind + " " + path : detail, e);
  }
}
