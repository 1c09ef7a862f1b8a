package org.ecpds.master.service;

/** The system cannot take the request right now (REST 503), e.g. no mover online. */
public class ServiceUnavailableException extends RuntimeException {
  public ServiceUnavailableException(String message) {
    super(message);
  }
}
