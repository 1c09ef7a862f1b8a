package org.ecpds.master.domain;

/** The path is of the wrong kind for the request: a directory not empty, a file where a directory is needed. */
public final class PreconditionException extends ConflictException {
  public PreconditionException(String message) {
    super(message);
  }
}
