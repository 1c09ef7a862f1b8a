package org.ecpds.mover.transfer.http;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small streaming JSON reader for directory listings: values become Map, List, String, Double,
 * Boolean or null. Enough for nginx's {@code autoindex_format json} and similar APIs without
 * pulling a JSON library into the mover.
 */
final class MiniJson {
  private final Reader in;
  private int peeked = -2;

  MiniJson(Reader in) {
    this.in = in;
  }

  Object value() throws IOException {
    int c = skipSpace();
    switch (c) {
      case '{': {
        next();
        Map<String, Object> m = new LinkedHashMap<>();
        if (skipSpace() == '}') {
          next();
          return m;
        }
        while (true) {
          if (skipSpace() != '"') throw error("expected a field name");
          String k = string();
          if (skipSpace() != ':') throw error("expected ':'");
          next();
          m.put(k, value());
          int d = skipSpace();
          next();
          if (d == '}') return m;
          if (d != ',') throw error("expected ',' or '}'");
        }
      }
      case '[': {
        next();
        List<Object> l = new ArrayList<>();
        if (skipSpace() == ']') {
          next();
          return l;
        }
        while (true) {
          l.add(value());
          int d = skipSpace();
          next();
          if (d == ']') return l;
          if (d != ',') throw error("expected ',' or ']'");
        }
      }
      case '"':
        return string();
      case -1:
        throw error("unexpected end");
      default:
        return literal();
    }
  }

  private String string() throws IOException {
    next(); // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = next();
      if (c == -1) throw error("unterminated string");
      if (c == '"') return sb.toString();
      if (c != '\\') {
        sb.append((char) c);
        continue;
      }
      int e = next();
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          char[] hex = new char[4];
          for (int i = 0; i < 4; i++) hex[i] = (char) next();
          sb.append((char) Integer.parseInt(new String(hex), 16));
        }
        default -> sb.append((char) e);
      }
    }
  }

  private Object literal() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = peek();
      if (c == -1 || c == ',' || c == '}' || c == ']' || Character.isWhitespace(c)) break;
      sb.append((char) next());
    }
    String s = sb.toString();
    return switch (s) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "null" -> null;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw error("bad literal '" + s + "'");
        }
      }
    };
  }

  private int skipSpace() throws IOException {
    while (Character.isWhitespace(peek())) next();
    return peek();
  }

  private int peek() throws IOException {
    if (peeked == -2) peeked = in.read();
    return peeked;
  }

  private int next() throws IOException {
    int c = peek();
    peeked = -2;
    return c;
  }

  private IOException error(String what) {
    return new IOException("invalid JSON listing: " + what);
  }
}
