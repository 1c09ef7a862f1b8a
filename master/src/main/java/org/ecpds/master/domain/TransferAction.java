package org.ecpds.master.domain;

/** What an operator may do to one transfer; the names are those the REST API and the monitor use. */
public enum TransferAction {
  REQUEUE("requeue"),
  STOP("stop"),
  RELEASE("release"),
  PRIORITY("priority");

  private final String wireName;

  TransferAction(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static TransferAction parse(String name) {
    for (TransferAction a : values()) if (a.wireName.equalsIgnoreCase(name == null ? "" : name.trim())) return a;
    throw new IllegalArgumentException("unknown transfer action '" + name + "' (requeue, stop, release, priority)");
  }
}
