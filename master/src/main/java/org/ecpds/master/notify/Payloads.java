package org.ecpds.master.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.ecpds.master.rules.TemplateContext;

/** The message bodies: ecpds's JSON document, a WIS2 notification message, or the destination's template. */
final class Payloads {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String WIS2_CONFORMS = "http://wis.wmo.int/spec/wnm/1/conf/core";

  private Payloads() {}

  /** Same transfer and kind, same id: a subscriber can drop the duplicates at-least-once delivery may bring. */
  static String id(Outbox.Kind kind, long transferId) {
    return UUID.nameUUIDFromBytes(("ecpds:" + kind + ":" + transferId).getBytes(StandardCharsets.UTF_8)).toString();
  }

  static byte[] body(MqttOptions o, Outbox.Kind kind, TemplateContext c) {
    if (o.payload() != null) return o.payload().resolve(c).getBytes(StandardCharsets.UTF_8);
    ObjectNode doc = o.format() == MqttOptions.Format.WIS2 ? wis2(o, kind, c) : json(kind, c);
    return doc.toString().getBytes(StandardCharsets.UTF_8);
  }

  static ObjectNode json(Outbox.Kind kind, TemplateContext c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", id(kind, c.transfer().id()));
    n.put("event", kind.name().toLowerCase(java.util.Locale.ROOT));
    n.put("time", c.now().toString());
    n.put("destination", c.destination().name());
    n.put("target", c.transfer().target());
    n.put("transferId", c.transfer().id());
    n.put("dataFileId", c.dataFile().id());
    n.put("size", c.dataFile().size());
    n.put("sha256", c.dataFile().checksum());
    n.put("host", c.host().name());
    n.put("mover", c.moverName());
    ObjectNode meta = n.putObject("metadata");
    c.dataFile().metadata().forEach(meta::put);
    return n;
  }

  /** A WIS2 notification message (WMO WNM 1.0): a GeoJSON Feature without geometry, one canonical link. */
  static ObjectNode wis2(MqttOptions o, Outbox.Kind kind, TemplateContext c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", id(kind, c.transfer().id()));
    n.putArray("conformsTo").add(WIS2_CONFORMS);
    n.put("type", "Feature");
    n.putNull("geometry");
    ObjectNode p = n.putObject("properties");
    p.put("data_id", c.destination().name() + "/" + c.transfer().target());
    p.put("pubtime", c.now().toString());
    Instant arrived = c.dataFile().arrivedTime();
    p.put("datetime", (arrived == null ? c.now() : arrived).toString());
    String sha = c.dataFile().checksum();
    if (sha != null && sha.length() == 64) {
      ObjectNode integrity = p.putObject("integrity");
      integrity.put("method", "sha256");
      integrity.put("value", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)));
    }
    ObjectNode link = n.putArray("links").addObject();
    link.put("href", o.href().resolve(c));
    link.put("rel", "canonical");
    link.put("type", contentType(o, c.transfer().target()));
    link.put("length", c.dataFile().size());
    return n;
  }

  private static String contentType(MqttOptions o, String target) {
    if (!o.contentType().isBlank()) return o.contentType();
    String guessed = URLConnection.guessContentTypeFromName(target);
    return guessed == null ? "application/octet-stream" : guessed;
  }
}
