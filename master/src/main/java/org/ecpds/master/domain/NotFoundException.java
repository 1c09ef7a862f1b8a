package org.ecpds.master.domain;

/** A named thing does not exist (REST 404). */
public class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message);
  }
}
