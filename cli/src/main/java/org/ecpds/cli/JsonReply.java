package org.ecpds.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the {"status":"ok"|"error","message":...} replies of the master and the movers. */
final class JsonReply {
  static final ObjectMapper JSON = new ObjectMapper();

  private JsonReply() {}

  /** The body when the call succeeded; otherwise the server's own message as a REFUSED failure. */
  static JsonNode ok(Reply r, String peer) throws CliException {
    JsonNode body = parse(r.body());
    if (r.statusCode() == 200 && body != null && "ok".equals(body.path("status").asText())) return body;
    throw CliException.refused(errorMessage(r.statusCode(), body, peer));
  }

  static String errorMessage(int status, JsonNode body, String peer) {
    String message = body == null ? "" : body.path("message").asText("");
    return message.isBlank() ? peer + " answered HTTP " + status : message;
  }

  static String text(JsonNode body, String field, String peer) throws CliException {
    JsonNode v = body.get(field);
    if (v == null || !v.isValueNode() || v.asText().isEmpty()) {
      throw CliException.refused(peer + " sent an incomplete reply (no " + field + ")");
    }
    return v.asText();
  }

  static long number(JsonNode body, String field, String peer) throws CliException {
    JsonNode v = body.get(field);
    if (v == null || !v.canConvertToLong()) throw CliException.refused(peer + " sent an incomplete reply (no " + field + ")");
    return v.asLong();
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
