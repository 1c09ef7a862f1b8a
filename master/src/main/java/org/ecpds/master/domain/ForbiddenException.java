package org.ecpds.master.domain;

/** Authenticated, but not allowed (REST 403). */
public class ForbiddenException extends RuntimeException {
  public ForbiddenException(String message) {
    super(message);
  }
}
