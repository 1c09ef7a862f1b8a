package org.ecpds.monitor.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A logged-in operator: who, since when, the CSRF token bound to this session and a one-shot flash. */
final class Session {
  /** A message shown once on the page following a POST (post/redirect/get). */
  record Flash(boolean ok, String message) {}

  private final String id;
  private final String user;
  private final String csrfToken;
  private final boolean readOnly;
  private final String masterToken;
  private final Instant created;
  private volatile Instant lastSeen;
  private final AtomicReference<Flash> flash = new AtomicReference<>();

  Session(String id, String user, String csrfToken, Instant created) {
    this(id, user, csrfToken, false, "", created);
  }

  /**
   * @param readOnly as the master said at login; only hides forms, the master enforces the role
   * @param masterToken the master's session token from the login, sent with every change
   */
  Session(String id, String user, String csrfToken, boolean readOnly, String masterToken, Instant created) {
    this.id = id;
    this.user = user;
    this.csrfToken = csrfToken;
    this.readOnly = readOnly;
    this.masterToken = masterToken;
    this.created = created;
    this.lastSeen = created;
  }

  String id() {
    return id;
  }

  String user() {
    return user;
  }

  String masterToken() {
    return masterToken;
  }

  boolean readOnly() {
    return readOnly;
  }

  String csrfToken() {
    return csrfToken;
  }

  Instant created() {
    return created;
  }

  Instant lastSeen() {
    return lastSeen;
  }

  void touch(Instant now) {
    lastSeen = now;
  }

  /** Constant-time so the token cannot be guessed byte by byte from response timing. */
  boolean csrfMatches(String candidate) {
    return candidate != null && MessageDigest.isEqual(
        csrfToken.getBytes(StandardCharsets.US_ASCII), candidate.getBytes(StandardCharsets.US_ASCII));
  }

  void flash(boolean ok, String message) {
    flash.set(new Flash(ok, message));
  }

  /** The pending flash, removed so it shows exactly once; null when none. */
  Flash takeFlash() {
    return flash.getAndSet(null);
  }
}
