package org.ecpds.master.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.master.acquisition.DryRun;
import org.ecpds.master.acquisition.ListingDecisions;
import org.ecpds.master.acquisition.Registration;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.HistoryRow;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.domain.TransferStatus;

/** JSON shapes of the REST API (secrets never leave the master). */
final class Views {
  private Views() {}

  static Map<String, Object> ok() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "ok");
    return m;
  }

  static Map<String, Object> ok(String key, Object value) {
    Map<String, Object> m = ok();
    m.put(key, value);
    return m;
  }

  static Map<String, Object> destination(Destination d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.name());
    m.put("comment", d.comment());
    m.put("enabled", d.enabled());
    m.put("maxConnections", d.maxConnections());
    m.put("retryCount", d.retryCount());
    m.put("retryFrequency", d.retryFrequencyMs());
    m.put("maxRequeue", d.maxRequeue());
    m.put("onHostFailure", d.onHostFailure());
    m.put("maxStart", d.maxStart());
    m.put("startFrequency", d.startFrequencyMs());
    m.put("maxPending", d.maxPending());
    m.put("maxFileSize", d.maxFileSize());
    m.put("resetFrequency", d.resetFrequencyMs());
    m.put("ifTargetExists", d.ifTargetExists());
    m.put("deleteFromSpool", d.deleteFromSpool());
    m.put("properties", d.properties());
    return m;
  }

  /** A destination with its state and the actions the lifecycle allows now. */
  static Map<String, Object> destination(Destination d, org.ecpds.master.domain.DestinationState state) {
    Map<String, Object> m = destination(d);
    org.ecpds.master.domain.DestinationState s = state == null ? org.ecpds.master.domain.DestinationState.WAIT : state;
    m.put("state", s.name());
    m.put("stateName", s.labelFor(d));
    m.put("actions", org.ecpds.master.domain.DestinationAction.allowed(d).stream()
        .map(org.ecpds.master.domain.DestinationAction::wireName).toList());
    return m;
  }

  static Map<String, Object> host(Host h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", h.name());
    m.put("type", h.type());
    m.put("transferMethod", h.transferMethod());
    m.put("address", h.address());
    m.put("port", h.port());
    m.put("login", h.login());
    m.put("passwordSet", !h.passwordEnc().isEmpty());
    m.put("directory", h.directory());
    m.put("options", org.ecpds.master.service.SecretOptions.mapSecrets(h.options(),
        v -> org.ecpds.master.service.SecretOptions.MASK));
    m.put("enabled", h.enabled());
    m.put("maxConnections", h.maxConnections());
    m.put("acquisitionFrequency", org.ecpds.common.config.Durations.format(java.time.Duration.ofMillis(h.acquisitionFrequencyMs())));
    return m;
  }

  static Map<String, Object> user(IncomingUser u, List<Permission> perms) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.name());
    m.put("email", u.email());
    m.put("enabled", u.enabled());
    m.put("destinations", perms.stream().map(Views::permission).toList());
    return m;
  }

  /** With the portal limits and what the current windows hold (remaining -1: no quota). */
  static Map<String, Object> user(IncomingUser u, List<Permission> perms, org.ecpds.master.domain.PortalLimits l,
      org.ecpds.master.service.PortalQuotas.Usage usage) {
    Map<String, Object> m = user(u, perms);
    m.put("maxConnections", l.maxConnections());
    m.put("maxUploadBytes", l.maxUploadBytes());
    m.put("uploadPeriod", org.ecpds.common.config.Durations.format(l.uploadPeriod()));
    m.put("maxDownloadBytes", l.maxDownloadBytes());
    m.put("downloadPeriod", org.ecpds.common.config.Durations.format(l.downloadPeriod()));
    Map<String, Object> used = new LinkedHashMap<>();
    used.put("uploadedBytes", usage.uploaded());
    used.put("uploadRemaining", usage.uploadRemaining());
    used.put("downloadedBytes", usage.downloaded());
    used.put("downloadRemaining", usage.downloadRemaining());
    m.put("usage", used);
    return m;
  }

  static Map<String, Object> permission(Permission p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("destination", p.destination());
    m.put("get", p.canGet());
    m.put("put", p.canPut());
    m.put("delete", p.canDelete());
    m.put("dir", p.canDir());
    m.put("mkdir", p.rights().mkdir());
    m.put("rmdir", p.rights().rmdir());
    m.put("rename", p.rights().rename());
    m.put("size", p.rights().size());
    m.put("mtime", p.rights().mtime());
    m.put("rules", p.rights().rules().stream().map(r -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("permission", r.permission());
      x.put("regex", r.regex());
      return x;
    }).toList());
    return m;
  }

  static Map<String, Object> s3Key(org.ecpds.master.domain.S3Key k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("accessKeyId", k.accessKeyId());
    if (k.secretKey() != null) m.put("secretKey", k.secretKey());
    m.put("created", k.createdMs());
    return m;
  }

  static Map<String, Object> key(org.ecpds.master.domain.UserKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id());
    m.put("key", k.publicKey());
    m.put("fingerprint", k.fingerprint());
    m.put("created", k.createdMs());
    return m;
  }

  static Map<String, Object> dataFile(DataFile f, String destination) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", f.id());
    m.put("destination", destination);
    m.put("source", f.source());
    m.put("target", f.target());
    m.put("size", f.size());
    m.put("sha256", f.sha256());
    m.put("arrived", f.arrived());
    m.put("arrivedTime", f.arrivedMs());
    m.put("priority", f.priority());
    m.put("expiryTime", f.expiryMs());
    m.put("caller", f.caller());
    m.put("metadata", org.ecpds.master.db.Json.read(f.metadataJson()));
    m.put("scheduledTime", f.scheduledMs());
    m.put("asap", f.asap());
    return m;
  }

  static Map<String, Object> transfer(DataTransfer t, String destination) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("dataFileId", t.dataFileId());
    m.put("destination", destination);
    m.put("target", t.target());
    m.put("status", t.status());
    m.put("statusName", TransferStatus.parse(t.status()).label());
    m.put("actions", org.ecpds.master.domain.TransferLifecycle.actions(t.statusCode()).stream()
        .map(org.ecpds.master.domain.TransferAction::wireName).toList());
    m.put("asap", t.asap());
    m.put("startCount", t.startCount());
    m.put("resumedFrom", t.resumedFrom());
    m.put("priority", t.priority());
    m.put("queueTime", t.queueMs());
    m.put("startTime", t.startMs());
    m.put("finishTime", t.finishMs());
    m.put("sent", t.sent());
    m.put("requeueCount", t.requeueCount());
    m.put("failureCount", t.failureCount());
    m.put("message", t.message());
    return m;
  }

  static Map<String, Object> history(HistoryRow h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", h.status());
    m.put("time", h.timeMs());
    m.put("comment", h.comment());
    m.put("user", h.userName());
    return m;
  }

  static Map<String, Object> dryRun(DryRun.RuleResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("line", r.line());
    m.put("rule", r.rule());
    m.put("directory", r.directory());
    m.put("entries", r.entries().stream().map(Views::dryRunEntry).toList());
    return m;
  }

  private static Map<String, Object> dryRunEntry(ListingDecisions.Decision e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", e.entry().name());
    m.put("selection", e.selection().name());
    if (e.stability() != null) m.put("stability", e.stability().name());
    if (e.problem() != null) m.put("problem", e.problem());
    Registration g = e.registration();
    if (g != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("action", g.action().name().toLowerCase());
      r.put("original", g.original()); // masked: never the path holding $host[passwd]
      r.put("target", g.target());
      r.put("size", g.size());
      r.put("modified", g.modifiedMillis());
      r.put("priority", g.priority());
      r.put("lifetime", org.ecpds.common.config.Durations.format(g.lifetime()));
      r.put("standby", g.standby());
      r.put("noRetrieval", g.noRetrieval());
      r.put("deleteOriginal", g.deleteOriginal());
      r.put("groupBy", g.groupBy());
      r.put("metadata", g.metadata());
      r.put("uniqueKey", Map.of("destination", g.key().destination(), "target", g.key().target(),
          "original", g.key().original() == null ? "" : g.key().original(),
          "modified", g.key().modifiedMillis() == null ? "" : g.key().modifiedMillis().toString()));
      m.put("registration", r);
    }
    return m;
  }
}
