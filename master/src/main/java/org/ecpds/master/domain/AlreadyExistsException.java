package org.ecpds.master.domain;

/** A name the request would create is taken (REST 409, portal ALREADY_EXISTS). */
public final class AlreadyExistsException extends ConflictException {
  public AlreadyExistsException(String message) {
    super(message);
  }
}
