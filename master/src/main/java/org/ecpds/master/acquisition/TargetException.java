package org.ecpds.master.acquisition;

/** A selected entry whose target template does not give a usable target; the entry is skipped, the run goes on. */
public final class TargetException extends IllegalArgumentException {
  public TargetException(String message) {
    super(message);
  }
}
