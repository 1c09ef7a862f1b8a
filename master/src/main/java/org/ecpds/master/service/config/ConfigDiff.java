package org.ecpds.master.service.config;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** What an apply changed, per section: names added and removed, and the fields of the changed ones. */
public record ConfigDiff(Map<String, Section> sections) {
  private static final ObjectMapper JSON = new ObjectMapper();

  @JsonPropertyOrder({"added", "changed", "removed"})
  public record Section(List<String> added, List<Changed> changed, List<String> removed) {}

  @JsonPropertyOrder({"name", "fields"})
  public record Changed(String name, List<String> fields) {}

  public boolean isEmpty() {
    return sections.values().stream().allMatch(s -> s.added().isEmpty() && s.changed().isEmpty() && s.removed().isEmpty());
  }

  public int count() {
    return sections.values().stream().mapToInt(s -> s.added().size() + s.changed().size() + s.removed().size()).sum();
  }

  static ConfigDiff between(ConfigDocument before, ConfigDocument after) {
    JsonNode a = JSON.valueToTree(before);
    JsonNode b = JSON.valueToTree(after);
    Map<String, Section> out = new LinkedHashMap<>();
    out.put("hosts", section(a.get("hosts"), b.get("hosts"), "name"));
    out.put("destinations", section(a.get("destinations"), b.get("destinations"), "name"));
    out.put("incomingUsers", section(a.get("incomingUsers"), b.get("incomingUsers"), "id"));
    out.put("webUsers", section(a.get("webUsers"), b.get("webUsers"), "name"));
    return new ConfigDiff(out);
  }

  private static Section section(JsonNode before, JsonNode after, String key) {
    Map<String, JsonNode> a = index(before, key);
    Map<String, JsonNode> b = index(after, key);
    List<String> added = new ArrayList<>();
    List<Changed> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (var e : b.entrySet()) {
      JsonNode old = a.get(e.getKey());
      if (old == null) {
        added.add(e.getKey());
      } else if (!old.equals(e.getValue())) {
        TreeSet<String> fields = new TreeSet<>();
        for (Iterator<String> it = e.getValue().fieldNames(); it.hasNext();) fields.add(it.next());
        old.fieldNames().forEachRemaining(fields::add);
        fields.removeIf(f -> java.util.Objects.equals(old.get(f), e.getValue().get(f)));
        changed.add(new Changed(e.getKey(), List.copyOf(fields)));
      }
    }
    for (String name : a.keySet()) if (!b.containsKey(name)) removed.add(name);
    return new Section(added, changed, removed);
  }

  private static Map<String, JsonNode> index(JsonNode list, String key) {
    Map<String, JsonNode> m = new TreeMap<>();
    if (list != null) list.forEach(n -> m.put(n.get(key).asText(), n));
    return m;
  }
}
