package org.ecpds.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.ecpds.common.tls.PemTrust;

/**
 * Streams the content to the mover the master allocated. The mover answers 200 only once the file
 * is durable and the master acknowledged it, so a 200 here means the DataFile id is final. When the
 * whole file went out but that confirmation did not come (the mover's 503 "pending", or the answer
 * lost), the outcome is {@link ArrivalUnconfirmed}: only the master can tell whether it arrived.
 */
final class Uploader {
  /** OpenECPDS's -caller, for the mover's INH event line. */
  static final String CALLER_HEADER = "X-Ecpds-Caller";
  private final Duration connectTimeout;
  private final String caller;
  // per mover URL and certificate, so that a batch keeps its connections to a mover alive
  private final java.util.concurrent.ConcurrentMap<String, Transport> transports =
      new java.util.concurrent.ConcurrentHashMap<>();

  Uploader(Duration connectTimeout) {
    this(connectTimeout, null);
  }

  /** @param caller the job that pushes (-caller), written by the mover in its INH event line; null for none */
  Uploader(Duration connectTimeout, String caller) {
    this.connectTimeout = connectTimeout;
    this.caller = caller;
  }

  /** The stored size reported by the mover. */
  long upload(Allocation a, PushSource source) throws CliException {
    Endpoint mover = Endpoint.of(a.uploadUrl());
    String peer = "data mover " + a.mover() + " at " + mover;
    Transport transport = transportTo(a, mover, peer);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + a.uploadToken());
    headers.put("Content-Type", "application/octet-stream");
    // headers first: a refusal (token, mover not linked to the master) comes before any byte is sent
    headers.put("Expect", "100-continue");
    if (source.size() >= 0) headers.put("X-Ecpds-Size", Long.toString(source.size()));
    if (caller != null) headers.put(CALLER_HEADER, caller);
    // no read timeout: the reply comes after the whole (possibly huge) file is stored
    Reply r;
    try {
      r = transport.send("PUT", a.uploadUrl(), headers, source, null);
    } catch (CliException e) {
      if (e.exitCode() != ExitCodes.UNKNOWN) throw e;
      // stored or not is decided by the mover and the master; say which data file to look for
      throw new ArrivalUnconfirmed(a.dataFileId(), e.getMessage() + ": data file " + a.dataFileId()
          + " may or may not be stored (the master's GET /datafile/" + a.dataFileId() + " says whether it arrived)", e);
    }
    JsonNode answer = JsonReply.parse(r.body());
    if (r.statusCode() == 503 && answer != null && answer.path("pending").asBoolean(false)) {
      throw new ArrivalUnconfirmed(a.dataFileId(), peer + ": " + answer.path("message").asText(), null);
    }
    JsonNode body;
    try {
      body = JsonReply.ok(r, peer);
    } catch (CliException e) {
      throw CliException.refused("upload to " + peer + " failed: " + e.getMessage());
    }
    long id = JsonReply.number(body, "dataFileId", peer);
    long size = JsonReply.number(body, "size", peer);
    if (id != a.dataFileId()) {
      throw CliException.refused(peer + " acknowledged data file " + id + " instead of " + a.dataFileId());
    }
    if (source.size() >= 0 && size != source.size()) {
      throw CliException.refused(peer + " stored " + size + " bytes but " + source.size() + " were sent");
    }
    return size;
  }

  private Transport transportTo(Allocation a, Endpoint mover, String peer) throws CliException {
    String key = mover + "\n" + a.uploadCertificate();
    Transport known = transports.get(key);
    if (known != null) return known;
    Transport fresh = new Transport(peer, "it is not the certificate the master announced for this mover",
        trustOnly(a), connectTimeout, true);
    Transport raced = transports.putIfAbsent(key, fresh);
    return raced != null ? raced : fresh;
  }

  /** Exactly the mover certificate the master vouched for: not the JVM trust store, not -cacert. */
  private static SSLContext trustOnly(Allocation a) throws CliException {
    try {
      return PemTrust.trusting(List.of(a.uploadCertificate()));
    } catch (IllegalArgumentException e) {
      throw CliException.refused("the master announced an invalid certificate for data mover " + a.mover());
    }
  }
}
