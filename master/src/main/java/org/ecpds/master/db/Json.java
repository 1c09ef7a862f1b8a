package org.ecpds.master.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** String maps stored as JSON text columns. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static String write(Map<String, String> map) {
    try {
      return MAPPER.writeValueAsString(map == null ? Map.of() : map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Map<String, String> read(String json) {
    if (json == null || json.isBlank()) return new LinkedHashMap<>();
    try {
      return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON column: " + e.getMessage(), e);
    }
  }
}
