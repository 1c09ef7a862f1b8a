package org.ecpds.master.service.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The whole declarative configuration of a master as one document (GET/POST /config). Every list is
 * sorted by name and every map by key, so that two exports of the same configuration are equal byte
 * for byte. Secrets never appear in clear: users carry password hashes, hosts their password and
 * secret options as the master stored them (encrypted with the master key, so such a document can
 * only be applied to a master with the same key).
 */
@JsonPropertyOrder({"version", "hosts", "destinations", "incomingUsers", "webUsers"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigDocument(Integer version, List<HostConfig> hosts, List<DestinationConfig> destinations,
    List<IncomingUserConfig> incomingUsers, List<WebUserConfig> webUsers) {

  public static final int VERSION = 1;

  /** A host; {@code passwordEncrypted} and secret option values are ciphertexts of the master key. */
  @JsonPropertyOrder(alphabetic = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HostConfig(String name, String type, String transferMethod, String address, Integer port, String login,
      String passwordEncrypted, String directory, Map<String, String> options, Boolean enabled, Integer maxConnections,
      String acquisitionFrequency) {}

  /** A destination with its hosts (failover order) and its aliases; durations are milliseconds. */
  @JsonPropertyOrder(alphabetic = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DestinationConfig(String name, String comment, Boolean enabled, Integer maxConnections,
      Integer retryCount, Long retryFrequency, Integer maxRequeue, String onHostFailure, Integer maxStart,
      Long startFrequency, Integer maxPending, Long maxFileSize, Long resetFrequency, String ifTargetExists,
      String deleteFromSpool, String properties, List<HostLink> hosts, List<AliasConfig> aliases) {}

  @JsonPropertyOrder({"host", "priority"})
  public record HostLink(String host, Integer priority) {}

  @JsonPropertyOrder({"target", "spec"})
  public record AliasConfig(String target, String spec) {}

  /** A data user: hash instead of password ("" = cannot log in with a password), limits, grants, keys. */
  @JsonPropertyOrder(alphabetic = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IncomingUserConfig(String id, String passwordHash, String email, String iso, Boolean enabled,
      List<String> categories, Integer maxConnections, Long maxUploadBytes, String uploadPeriod, Long maxDownloadBytes,
      String downloadPeriod, List<PermissionConfig> permissions, List<String> publicKeys) {}

  @JsonPropertyOrder(alphabetic = true)
  public record PermissionConfig(String destination, Boolean get, Boolean put, Boolean delete, Boolean dir,
      Boolean mkdir, Boolean rmdir, Boolean rename, Boolean size, Boolean mtime, List<RuleConfig> rules) {}

  @JsonPropertyOrder({"permission", "regex"})
  public record RuleConfig(String permission, String regex) {}

  @JsonPropertyOrder({"name", "passwordHash", "roles", "enabled"})
  public record WebUserConfig(String name, String passwordHash, String roles, Boolean enabled) {}
}
