package org.ecpds.master.rules;

/**
 * One {@code $name} or {@code $name[arg]} reference found in rule text. {@code arg} is the raw text
 * between the brackets (nested brackets kept), or null when there were no brackets.
 */
public record Placeholder(String name, String arg) {
  public String display() {
    return "$" + name + (arg == null ? "" : "[" + arg + "]");
  }
}
