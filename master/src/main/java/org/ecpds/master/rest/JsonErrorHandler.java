package org.ecpds.master.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises itself, before Jersey sees the request (an unknown path, a URI or headers
 * too large, a malformed request), answered in the API's JSON shape instead of an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    return BufferUtil.toBuffer(body(status));
  }

  static String describe(int code) {
    return switch (code) {
      case 400 -> "malformed request";
      case 404 -> "no such resource";
      case 405 -> "method not allowed";
      case 414 -> "request URI too long";
      case 431 -> "request headers too large";
      default -> code >= 500 ? "internal error" : HttpStatus.getMessage(code).toLowerCase();
    };
  }

  static byte[] body(int code) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "error");
    m.put("message", describe(code));
    try {
      return JSON.writeValueAsBytes(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return "{\"status\":\"error\",\"message\":\"error\"}".getBytes(StandardCharsets.UTF_8);
    }
  }
}
