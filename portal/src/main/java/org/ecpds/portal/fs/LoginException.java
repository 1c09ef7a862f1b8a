package org.ecpds.portal.fs;

import java.time.Duration;
import java.util.Optional;

/** A refused login. {@code retryAfter} is set when the address or user must wait (HTTP 429 Retry-After). */
public final class LoginException extends Exception {
  private final transient Duration retryAfter;

  public LoginException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
