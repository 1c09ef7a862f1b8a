package org.ecpds.master.rules;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a directory template can see about one transfer. Null strings and times resolve to an empty
 * string; {@code now} is the time {@code $date} and {@code $time} use.
 */
public record TemplateContext(DataFile dataFile, Transfer transfer, Destination destination, Host host,
    String transferMethod, String moverName, Instant now) {

  public TemplateContext {
    Objects.requireNonNull(dataFile, "dataFile");
    Objects.requireNonNull(transfer, "transfer");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(now, "now");
  }

  /** {@code timeStep} in hours; {@code metadata} is the data file's key/value metadata. */
  public record DataFile(long id, String original, String source, long size, Instant arrivedTime, Instant timeBase,
      Instant timeFile, Long timeStep, String metaTime, String metaStream, String checksum, Map<String, String> metadata) {
    public DataFile {
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
  }

  public record Transfer(long id, String target, String comment, String identity, int priority, Instant scheduled,
      String statusCode, boolean asap) {
    public Transfer {
      Objects.requireNonNull(target, "target");
    }
  }

  public record Destination(String name, String comment, String userMail) {}

  public record Host(String name, String nickname, String host, String login, String comment, String userMail,
      String networkCode, String networkName) {}

  /** The little that the earlier {@code $destination/$date} templates used. */
  public static TemplateContext of(String destination, String target, Instant now) {
    return new TemplateContext(
        new DataFile(0, null, null, 0, null, null, null, null, null, null, null, Map.of()),
        new Transfer(0, target, null, null, 99, null, null, false),
        new Destination(destination, null, null),
        new Host(null, null, null, null, null, null, null, null), null, null, now);
  }
}
