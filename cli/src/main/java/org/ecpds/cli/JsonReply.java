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
    throw CliException.answered(r.statusCode(), errorMessage(r.statusCode(), body, peer));
  }

  static String errorMessage(int status, JsonNode body, String peer) {
    String message = body == null ? "" : body.path("message").asText("");
    return message.isBlank() ? peer + " answered HTTP " + status + meaning(status) : message;
  }

  /**
   * What a status means when its body is lost: HttpsURLConnection drops the body of a refusal
   * given instead of "100 Continue" (a mover refusing an upload before it is sent).
   */
  private static String meaning(int status) {
    return switch (status) {
      case 401 -> " (the upload token was refused)";
      case 409 -> " (the data file is already stored)";
      case 503 -> " (unavailable for now; retry later)";
      case 507 -> " (no room for the file on its volumes)";
      default -> "";
    };
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

  /** The JSON body, or null when there is none or it is not JSON. */
  static JsonNode parse(String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
