package org.ecpds.master.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ecpds.master.rules.MessageTemplate;
import org.ecpds.master.rules.Options;

/**
 * A destination's {@code mqtt.*} options (docs/notifications.md), checked when the destination is
 * saved so that a bad value is a 400 naming the option, never a message lost later. The broker and
 * its credentials fall back to the master's {@code mqtt.*} configuration.
 */
public record MqttOptions(Broker broker, MessageTemplate topic, boolean topicAppendsTarget, int qos, boolean retain,
    Duration expiry, Format format, MessageTemplate payload, MessageTemplate href, String contentType) {

  public enum Format { JSON, WIS2 }

  /** Where to publish: tcp:// or ssl:// URL; user may be empty. */
  public record Broker(String url, String user, String password) {
    public static final Broker NONE = new Broker("", "", "");

    public String key() {
      return url + "|" + user;
    }
  }

  static final String DEFAULT_TOPIC = "$destination/";
  private static final List<String> KEYS = List.of("mqtt.publish", "mqtt.url", "mqtt.user", "mqtt.password",
      "mqtt.topic", "mqtt.qos", "mqtt.retain", "mqtt.expiryinterval", "mqtt.format", "mqtt.payload", "mqtt.href",
      "mqtt.contenttype");

  /** Empty when the destination does not publish ({@code mqtt.publish} unset or no). */
  public static Optional<MqttOptions> parse(String properties, Broker defaults) {
    if (properties == null || properties.isBlank()) return Optional.empty();
    Options o = Options.parse(properties);
    for (String k : o.keys()) {
      String lower = k.toLowerCase(Locale.ROOT);
      if (lower.startsWith("mqtt.") && !KEYS.contains(lower)) {
        throw new IllegalArgumentException("option " + k + " is not known (use " + String.join(", ", KEYS) + ")");
      }
    }
    if (!o.bool("mqtt.publish", false)) return Optional.empty();
    String url = o.string("mqtt.url", defaults.url()).trim();
    if (!url.isEmpty()) checkUrl(url);
    Broker broker = o.has("mqtt.url")
        ? new Broker(url, o.string("mqtt.user", ""), o.string("mqtt.password", ""))
        : new Broker(url, o.string("mqtt.user", defaults.user()), o.string("mqtt.password", defaults.password()));
    String topicText = o.string("mqtt.topic", DEFAULT_TOPIC).trim();
    if (topicText.isEmpty() || topicText.contains("+") || topicText.contains("#")) {
      throw invalid("mqtt.topic", topicText, "a topic name without the wildcards + and #");
    }
    MessageTemplate topic = template("mqtt.topic", topicText);
    int qos = o.integer("mqtt.qos", 0, 2, 1);
    boolean retain = o.bool("mqtt.retain", false);
    Duration expiry = o.duration("mqtt.expiryInterval", Duration.ZERO);
    if (expiry.isNegative()) throw invalid("mqtt.expiryInterval", o.string("mqtt.expiryInterval", ""), "positive");
    Format format = format(o.string("mqtt.format", "json"));
    MessageTemplate payload = o.string("mqtt.payload").map(p -> template("mqtt.payload", p)).orElse(null);
    if (payload != null && o.has("mqtt.format")) {
      throw new IllegalArgumentException("option mqtt.payload: give either mqtt.payload or mqtt.format, not both");
    }
    MessageTemplate href = o.string("mqtt.href").map(h -> template("mqtt.href", h)).orElse(null);
    if (format == Format.WIS2 && href == null) {
      throw new IllegalArgumentException("option mqtt.href is required with mqtt.format = wis2 (the link to the file)");
    }
    return Optional.of(new MqttOptions(broker, topic, topicText.endsWith("/"), qos, retain, expiry, format, payload,
        href, o.string("mqtt.contentType", "")));
  }

  /** Validation only, for when a destination is saved. */
  public static void check(String properties) {
    parse(properties, Broker.NONE);
  }

  private static Format format(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "json" -> Format.JSON;
      case "wis2" -> Format.WIS2;
      default -> throw invalid("mqtt.format", text, "json or wis2");
    };
  }

  private static void checkUrl(String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw invalid("mqtt.url", url, "a URL such as tcp://host:1883 or ssl://host:8883");
    }
    if (!"tcp".equals(u.getScheme()) && !"ssl".equals(u.getScheme()) || u.getHost() == null || u.getPort() <= 0) {
      throw invalid("mqtt.url", url, "a URL such as tcp://host:1883 or ssl://host:8883");
    }
  }

  private static MessageTemplate template(String key, String text) {
    try {
      return MessageTemplate.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("option " + key + ": " + e.getMessage());
    }
  }

  private static IllegalArgumentException invalid(String key, String value, String expected) {
    return new IllegalArgumentException("option " + key + ": '" + value + "' is not " + expected);
  }
}
