package org.ecpds.cli;

import java.net.URI;

/** The master's answer to a registration: where, and with which token and certificate, to upload. */
record Allocation(long dataFileId, String mover, URI uploadUrl, String uploadToken, String uploadCertificate) {
  @Override
  public String toString() {
    return "Allocation[dataFileId=" + dataFileId + ", mover=" + mover + ", uploadUrl=" + uploadUrl + "]";
  }
}
