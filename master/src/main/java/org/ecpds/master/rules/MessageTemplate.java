package org.ecpds.master.rules;

import java.util.List;

/**
 * Free text with the directory template's {@code $variables} ({@code $destination},
 * {@code $dataTransfer[target]}, {@code $dataFile[size]}, {@code $metadata[key]}, {@code $date}, ...),
 * resolved as written: no condition lines and no target appended. Used for notification topics and
 * payloads; a metadata key the file lacks resolves to an empty string.
 */
public final class MessageTemplate {
  private final List<Object> parts;

  private MessageTemplate(List<Object> parts) {
    this.parts = parts;
  }

  /** Throws IllegalArgumentException naming the unknown variable or field. */
  public static MessageTemplate parse(String text) {
    List<Object> parts = TemplateText.split(text == null ? "" : text, TemplateVariables.NAMES);
    for (Object p : parts) {
      if (p instanceof Placeholder ph) TemplateVariables.check(ph);
    }
    return new MessageTemplate(List.copyOf(parts));
  }

  public String resolve(TemplateContext context) {
    StringBuilder out = new StringBuilder();
    for (Object p : parts) out.append(p instanceof Placeholder ph ? TemplateVariables.resolve(ph, context, false) : (String) p);
    return out.toString();
  }
}
