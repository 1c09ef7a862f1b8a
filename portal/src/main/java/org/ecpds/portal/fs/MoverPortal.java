package org.ecpds.portal.fs;

import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.LoginGuard.Attempt;
import org.ecpds.common.config.Config;
import org.ecpds.mover.link.StoredReporter;
import org.ecpds.mover.store.DataStore;
import org.ecpds.portal.DeniedEvents;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal of one mover: logs users in through the master (with the {@link LoginGuard}'s audit and
 * delays, and a cap on sessions per user) and gives each session a {@link MoverPortalFs}. Content is
 * read from and uploaded into this mover's {@link DataStore}; uploads are announced over the mover's
 * link to the master exactly like a CLI push. Without a store and reporter the portal is read-only.
 */
public final class MoverPortal implements PortalLogin {
  private static final Logger LOG = LoggerFactory.getLogger(MoverPortal.class);
  static final String REFUSED = "Password authentication failed";
  static final String KEY_REFUSED = "Public key authentication failed";
  static final String WAIT = "Too many failed attempts from this address";
  static final String S3_REFUSED = "Unknown S3 access key";
  static final String S3_SIGNATURE_REFUSED = "S3 signature does not match";

  /**
   * @param maxSessionsPerUser concurrent sessions of one user on this mover, all protocols together
   * @param ackTimeout how long an upload's commit waits for the master's StoredAck
   * @param listingTtl how long a session reuses a destination's listing (its own changes drop it at once)
   */
  public record Settings(int maxSessionsPerUser, Duration ackTimeout, Duration listingTtl) {
    public static final Settings DEFAULTS = new Settings(20, Duration.ofSeconds(120), Duration.ofSeconds(2));

    /** portal.maxSessionsPerUser, mover.upload.ackTimeout (shared with CLI pushes), portal.listingTtl. */
    public static Settings from(Config c) {
      return new Settings(c.getInt("portal.maxSessionsPerUser", DEFAULTS.maxSessionsPerUser, 1, 1_000_000),
          c.getDuration("mover.upload.ackTimeout", DEFAULTS.ackTimeout),
          c.getDuration("portal.listingTtl", DEFAULTS.listingTtl));
    }
  }

  final PortalBackend backend;
  final DataStore store;
  final StoredReporter reporter;
  final String moverName;
  final Settings settings;
  final AccessRule rule;
  private final LoginGuard guard;
  private final Map<String, Integer> sessions = new java.util.HashMap<>(); // guarded by itself
  /** The grants that came with an S3 key's secret, for the session that follows a verified signature. */
  private final Map<String, PortalUser> s3Users = new ConcurrentHashMap<>();
  /** Modification times set by clients (rclone); the data file itself keeps its arrival time. */
  private final Map<Long, Long> modifiedOverrides = new ConcurrentHashMap<>();

  /**
   * @param store    the mover's data store, null for a read-only portal
   * @param reporter the mover's link to the master (Stored messages), null for a read-only portal
   */
  public MoverPortal(PortalBackend backend, DataStore store, StoredReporter reporter, LoginGuard guard,
      String moverName, Settings settings) {
    this(backend, store, reporter, guard, moverName, settings, new PathRuleAccess());
  }

  public MoverPortal(PortalBackend backend, DataStore store, StoredReporter reporter, LoginGuard guard,
      String moverName, Settings settings, AccessRule rule) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.store = store;
    this.reporter = reporter;
    this.guard = Objects.requireNonNull(guard, "guard");
    this.moverName = moverName == null ? "" : moverName;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  @Override
  public PortalFs password(String user, String password, String protocol, InetSocketAddress remote)
      throws LoginException {
    String address = address(remote);
    Attempt attempt = new Attempt(protocol, moverName, address, user);
    checkWait(attempt);
    Optional<PortalUser> found;
    try {
      found = backend.authenticate(user, password, protocol, address);
    } catch (RuntimeException e) {
      LOG.warn("authentication of {} from {} failed: {}", user, address, e.toString());
      found = Optional.empty();
    }
    if (found.isEmpty()) {
      Duration hold = guard.refused(attempt, REFUSED);
      DeniedEvents.forward(backend, user, REFUSED, protocol, address);
      throw new LoginException(REFUSED, hold.isZero() ? null : hold);
    }
    guard.accepted(attempt);
    return open(found.get(), protocol, address);
  }

  /**
   * SSH clients offer every key they have before a password, so a refused key is audited (DEA) but not
   * counted as a failure: counting it would slow down users whose agent holds several keys.
   */
  @Override
  public PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote)
      throws LoginException {
    String address = address(remote);
    Attempt attempt = new Attempt(protocol, moverName, address, user);
    checkWait(attempt);
    Optional<PortalUser> found;
    try {
      found = backend.authenticateKey(user, PublicKeyEntry.toString(key), protocol, address);
    } catch (RuntimeException e) {
      LOG.warn("key authentication of {} from {} failed: {}", user, address, e.toString());
      found = Optional.empty();
    }
    if (found.isEmpty()) {
      LoginGuard.forbidden(attempt, KEY_REFUSED);
      DeniedEvents.forward(backend, user, KEY_REFUSED, protocol, address);
      throw new LoginException(KEY_REFUSED, null);
    }
    guard.accepted(attempt);
    return open(found.get(), protocol, address);
  }

  /**
   * The secret behind an S3 access key, for the S3 adapter to verify a signature. An unknown key is a
   * failed login (the access key id stands for the user name in the guard and the DEA line).
   */
  @Override
  public S3Credentials s3Credentials(String accessKeyId, InetSocketAddress remote) throws LoginException {
    String address = address(remote);
    Attempt attempt = new Attempt("s3", moverName, address, accessKeyId);
    checkWait(attempt);
    Optional<PortalBackend.S3Grant> grant;
    try {
      grant = backend.s3Credentials(accessKeyId, address);
    } catch (RuntimeException e) {
      LOG.warn("S3 credentials of {} from {} not available: {}", accessKeyId, address, e.toString());
      grant = Optional.empty();
    }
    if (grant.isEmpty()) {
      Duration hold = guard.refused(attempt, S3_REFUSED);
      DeniedEvents.forward(backend, accessKeyId, S3_REFUSED, "s3", address);
      throw new LoginException(S3_REFUSED, hold.isZero() ? null : hold);
    }
    s3Users.put(accessKeyId, grant.get().user());
    return new S3Credentials(accessKeyId, grant.get().secretKey(), grant.get().user().name());
  }

  /** A request whose signature was verified with {@link #s3Credentials}: a session for the key's user. */
  @Override
  public PortalFs s3Session(S3Credentials credentials, InetSocketAddress remote) throws LoginException {
    PortalUser user = s3Users.get(credentials.accessKeyId());
    if (user == null || !user.name().equals(credentials.user())) {
      throw new LoginException("S3 credentials were not looked up first", null);
    }
    guard.accepted(new Attempt("s3", moverName, address(remote), credentials.accessKeyId()));
    return open(user, "s3", address(remote));
  }

  /** A known key with a wrong signature counts as a failed login, as a wrong password does. */
  @Override
  public void s3SignatureRefused(S3Credentials credentials, InetSocketAddress remote) {
    String address = address(remote);
    guard.refused(new Attempt("s3", moverName, address, credentials.accessKeyId()), S3_SIGNATURE_REFUSED);
    DeniedEvents.forward(backend, credentials.user(), S3_SIGNATURE_REFUSED, "s3", address);
  }

  private void checkWait(Attempt attempt) throws LoginException {
    Duration wait = guard.waitBefore(attempt); // writes its DEA line when positive
    if (!wait.isZero()) {
      DeniedEvents.forward(backend, attempt.user(), WAIT, attempt.protocol(), attempt.address());
      throw new LoginException(WAIT, wait);
    }
  }

  private PortalFs open(PortalUser user, String protocol, String address) throws LoginException {
    // the user's own maxConnections (set on the master) replaces the mover-wide default
    int cap = user.limits().getMaxConnections() > 0 ? user.limits().getMaxConnections() : settings.maxSessionsPerUser();
    boolean admitted;
    synchronized (sessions) {
      int now = sessions.getOrDefault(user.name(), 0);
      admitted = now < cap;
      if (admitted) sessions.put(user.name(), now + 1);
    }
    if (!admitted) {
      String message = "Too many sessions for user (" + cap + ")";
      DeniedEvents.report(backend, user.name(), message, protocol, address, moverName);
      throw new LoginException(message, null);
    }
    return new MoverPortalFs(this, user, protocol, address);
  }

  void released(String user) {
    synchronized (sessions) {
      sessions.computeIfPresent(user, (u, c) -> c <= 1 ? null : c - 1);
    }
  }

  /** Sessions open right now for {@code user} on this mover. */
  public int sessions(String user) {
    synchronized (sessions) {
      return sessions.getOrDefault(user, 0);
    }
  }

  long modified(long dataFileId, long listed) {
    return modifiedOverrides.getOrDefault(dataFileId, listed);
  }

  void setModified(long dataFileId, long millis) {
    if (modifiedOverrides.size() >= 100_000) modifiedOverrides.clear(); // bounded; only a display value
    modifiedOverrides.put(dataFileId, millis);
  }

  boolean canStore() {
    return store != null && reporter != null;
  }

  static String address(InetSocketAddress remote) {
    if (remote == null) return "";
    return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
  }
}
