package org.ecpds.master.domain;

/** Transfer status codes, kept as in OpenECPDS so that its users recognise them. */
public enum TransferStatus {
  INIT("Arriving"),
  SCHE("Preset"),
  FETC("Fetching"),
  HOLD("StandBy"),
  WAIT("Queued"),
  EXEC("Transferring"),
  DONE("Done"),
  RETR("Requeued"),
  FAIL("Failed"),
  STOP("Stopped"),
  INTR("Interrupted");

  private final String label;

  TransferStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static TransferStatus parse(String code) {
    try {
      return valueOf(code.trim().toUpperCase());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown transfer status '" + code + "'");
    }
  }

  /** Operators may requeue anything that is not moving right now. */
  public boolean canRequeue() {
    return this != EXEC && this != INIT;
  }

  public boolean canStop() {
    return this != DONE && this != STOP;
  }
}
