package org.ecpds.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * -requeue, -status and -scheduler over the master's existing REST calls (datafile, transfer and
 * destination actions): the rules (permissions, which status allows which action) stay the master's.
 */
final class Operations {
  /** Transfers read for a destination's queue counts (the master's listing limit). */
  static final int QUEUE_SAMPLE = 10_000;

  private final MasterClient master;
  private final Credentials who;
  private final PrintStream out;

  Operations(MasterClient master, Credentials who, PrintStream out) {
    this.master = master;
    this.who = who;
    this.out = out;
  }

  /** Requeues every transfer of the data file that may be requeued now; prints their ids. */
  int requeue(long dataFileId) throws CliException {
    JsonNode file = master.call(who, "GET", "datafile/" + dataFileId, null).path("datafile");
    List<Long> requeued = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (JsonNode t : file.path("transfers")) {
      if (has(t.path("actions"), "requeue")) {
        master.call(who, "POST", "transfer/" + t.path("id").asLong() + "/requeue", "{}");
        requeued.add(t.path("id").asLong());
      } else {
        others.add(t.path("id").asLong() + " " + t.path("statusName").asText());
      }
    }
    if (requeued.isEmpty()) {
      throw CliException.refused("data file " + dataFileId + " has no transfer that can be requeued"
          + (others.isEmpty() ? "" : " (" + String.join(", ", others) + ")"));
    }
    for (long id : requeued) out.println(id);
    return ExitCodes.OK;
  }

  int dataFileStatus(long dataFileId, boolean json) throws CliException {
    JsonNode f = master.call(who, "GET", "datafile/" + dataFileId, null).path("datafile");
    if (json) return print(f);
    out.println("datafile " + f.path("id").asLong() + " destination=" + f.path("destination").asText() + " target="
        + f.path("target").asText() + " size=" + f.path("size").asLong() + " arrived=" + f.path("arrived").asBoolean());
    for (JsonNode t : f.path("transfers")) {
      out.println("transfer " + t.path("id").asLong() + " destination=" + t.path("destination").asText() + " status="
          + t.path("status").asText() + " (" + t.path("statusName").asText() + ") sent=" + t.path("sent").asLong()
          + " requeues=" + t.path("requeueCount").asLong());
    }
    return ExitCodes.OK;
  }

  /** The destination's state and its transfers counted per status (of the newest {@value #QUEUE_SAMPLE}). */
  int destinationStatus(String name, boolean json) throws CliException {
    JsonNode d = destination(name);
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode t : master.call(who, "GET", "transfer?destination=" + MasterClient.segment(name) + "&limit="
        + QUEUE_SAMPLE, null).path("transfers")) {
      counts.merge(t.path("status").asText(), 1, Integer::sum);
    }
    if (json) {
      ObjectNode o = JsonReply.JSON.createObjectNode();
      o.put("destination", name);
      o.put("state", d.path("state").asText());
      o.put("stateName", d.path("stateName").asText());
      o.set("transfers", JsonReply.JSON.valueToTree(counts));
      return print(o);
    }
    out.println("destination " + name + " state=" + d.path("state").asText() + " (" + d.path("stateName").asText() + ")");
    counts.forEach((status, n) -> out.println("transfers " + status + "=" + n));
    return ExitCodes.OK;
  }

  int groupStatus(String group, boolean json) throws CliException {
    JsonNode g = master.call(who, "GET", "datafile/group/" + MasterClient.segment(group), null);
    if (json) {
      ObjectNode o = g.deepCopy();
      o.remove("status");
      return print(o);
    }
    out.println("group " + group + " files=" + g.path("files").asLong() + " complete=" + g.path("complete").asBoolean()
        + " failed=" + g.path("failed").asBoolean());
    g.path("fetch").fields().forEachRemaining(e -> out.println("fetch " + e.getKey() + "=" + e.getValue().asLong()));
    g.path("transfers").fields().forEachRemaining(e -> out.println("transfers " + e.getKey() + "=" + e.getValue().asLong()));
    return ExitCodes.OK;
  }

  /**
   * -scheduler: -stop holds the destination's transfers, -start releases a held one (restarts a
   * stopped one), -check prints the state: 0 when the scheduler runs, 1 when held, stopped or disabled.
   */
  int scheduler(String name, ManageOptions.SchedulerAction action, boolean json) throws CliException {
    JsonNode d = destination(name);
    String state = d.path("state").asText();
    switch (action) {
      case START -> {
        if ("HOLD".equals(state)) d = act(name, "release");
        else if ("STOP".equals(state)) d = act(name, "restart");
      }
      case STOP -> {
        if (!"HOLD".equals(state) && !"STOP".equals(state)) d = act(name, "hold");
      }
      case CHECK -> { }
    }
    if (json) {
      ObjectNode o = JsonReply.JSON.createObjectNode();
      o.put("destination", name);
      o.put("state", d.path("state").asText());
      o.put("stateName", d.path("stateName").asText());
      o.put("running", running(d));
      print(o);
    } else {
      out.println(name + " " + d.path("state").asText() + " (" + d.path("stateName").asText() + ")");
    }
    return action != ManageOptions.SchedulerAction.CHECK || running(d) ? ExitCodes.OK : ExitCodes.REFUSED;
  }

  /** Records (or with status reset, forgets) a product's status; prints the product and its status code. */
  int productStatus(Map<String, Object> body) throws CliException {
    String json;
    try {
      json = JsonReply.JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    JsonNode r = master.call(who, "POST", "product/status", json);
    String product = body.get("stream") + " " + body.get("time") + (body.containsKey("type") ? " " + body.get("type") : "")
        + " step " + body.get("step");
    if ("reset".equals(body.get("status"))) {
      out.println(product + " " + (r.path("reset").asBoolean() ? "RESET" : "NONE"));
    } else {
      out.println(product + " " + r.path("product").path("status").asText());
    }
    return ExitCodes.OK;
  }

  private static boolean running(JsonNode destination) {
    String s = destination.path("state").asText();
    return !s.equals("HOLD") && !s.equals("STOP") && !s.equals("DISABLED");
  }

  private JsonNode destination(String name) throws CliException {
    return master.call(who, "GET", "destination/" + MasterClient.segment(name), null).path("destination");
  }

  private JsonNode act(String name, String action) throws CliException {
    return master.call(who, "POST", "destination/" + MasterClient.segment(name) + "/" + action, "{}").path("destination");
  }

  private int print(JsonNode node) {
    try {
      out.println(JsonReply.JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return ExitCodes.OK;
  }

  private static boolean has(JsonNode array, String value) {
    for (JsonNode v : array) if (value.equals(v.asText())) return true;
    return false;
  }
}
