package org.ecpds.master.domain;

/** The request contradicts the current state (REST 409). */
public class ConflictException extends RuntimeException {
  public ConflictException(String message) {
    super(message);
  }
}
