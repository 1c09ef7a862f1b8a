package org.ecpds.master.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/** A refused JSON body explained in the API's terms: the field and what it must be, never a Java type. */
final class JsonErrors {
  private JsonErrors() {}

  static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + u.getPropertyName() + "'";
    }
    if (e instanceof MismatchedInputException m && m.getOriginalMessage() != null
        && m.getOriginalMessage().startsWith("Trailing token")) {
      return "invalid JSON: unexpected content after the body";
    }
    if (e instanceof MismatchedInputException m) {
      String field = field(m);
      String expected = expected(m.getTargetType());
      return field.isEmpty() ? "the body must be " + expected : "field '" + field + "' must be " + expected;
    }
    if (e instanceof JsonParseException p) {
      String msg = p.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) return "duplicate field" + msg.substring("Duplicate field".length());
      var at = p.getLocation();
      return "invalid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }
    return "invalid JSON";
  }

  private static String field(JsonMappingException e) {
    return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  private static String expected(Class<?> type) {
    if (type == null) return "of another type";
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "a whole number";
    if (type == Double.class || type == double.class || type == Float.class) return "a number";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (java.util.Map.class.isAssignableFrom(type)) return "an object";
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "an array";
    return "an object";
  }
}
