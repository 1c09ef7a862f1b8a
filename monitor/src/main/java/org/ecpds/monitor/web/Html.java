package org.ecpds.monitor.web;

/**
 * A string builder for server-rendered pages where every value goes through {@link #text} or
 * {@link #attr} (escaped) and only literal markup goes through {@link #raw}. Keeping the two
 * apart in the call site is what keeps master-supplied names and messages from becoming markup.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(8192);

  /** Literal markup written by the monitor itself; never pass data here. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Element text: escaped. */
  Html text(Object value) {
    escapeInto(out, String.valueOf(value));
    return this;
  }

  /** A complete attribute, name="escaped value", with a leading space. */
  Html attr(String name, Object value) {
    out.append(' ').append(name).append("=\"");
    escapeInto(out, String.valueOf(value));
    out.append('"');
    return this;
  }

  /** Opens a tag with a class, e.g. open("td", "status") -> &lt;td class="status"&gt;. */
  Html open(String tag, String cssClass) {
    out.append('<').append(tag).append(" class=\"").append(cssClass).append("\">");
    return this;
  }

  /** One cell holding escaped text. */
  Html cell(String cssClass, Object value) {
    return open("td", cssClass).text(value).raw("</td>");
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    escapeInto(sb, s);
    return sb.toString();
  }

  private static void escapeInto(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
