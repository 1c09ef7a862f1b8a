package org.ecpds.master.service;

import java.util.List;
import java.util.Map;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.HostDao;
import org.ecpds.master.acquisition.DirectoryRules;
import org.ecpds.master.rules.DirectoryTemplate;
import org.ecpds.master.db.Json;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.security.SecretBox;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Remote hosts; passwords are encrypted before they reach the database. */
public final class HostService {
  static final long DEFAULT_ACQUISITION_FREQUENCY_MS = 300_000;
  private static final List<String> TYPES = List.of(Host.DISSEMINATION, Host.ACQUISITION, Host.SOURCE);
  private final Database db;
  private final SecretBox secrets;
  private final java.util.function.Consumer<List<Long>> onChange;
  /** Bumped after every write of a host, so that a reader holding a host (and its spec) knows to read it again. */
  private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

  /** onChange hears the destinations that use a changed host (they are re-sent to the scheduler). */
  public HostService(Database db, SecretBox secrets, java.util.function.Consumer<List<Long>> onChange) {
    this.db = db;
    this.secrets = secrets;
    this.onChange = onChange;
  }

  public record Spec(String type, String transferMethod, String address, Integer port, String login, String password,
      String directory, Map<String, String> options, Boolean enabled, Integer maxConnections,
      String acquisitionFrequency) {

    public Spec(String type, String transferMethod, String address, Integer port, String login, String password,
        String directory, Map<String, String> options, Boolean enabled, Integer maxConnections) {
      this(type, transferMethod, address, port, login, password, directory, options, enabled, maxConnections, null);
    }

    public Spec(String type, String transferMethod, String address, Integer port, String login, String password,
        String directory, Map<String, String> options, Boolean enabled) {
      this(type, transferMethod, address, port, login, password, directory, options, enabled, null, null);
    }
  }

  public Host create(String name, Spec s) {
    Names.check("host", name);
    String type = orDefault(s.type(), Host.DISSEMINATION).toLowerCase();
    String method = orDefault(s.transferMethod(), "sftp").toLowerCase();
    validate(type, method, s.address(), s.port());
    checkLengths(s);
    checkDirectory(type, orDefault(s.directory(), ""), s.options());
    try {
      long id = db.jdbi().withExtension(HostDao.class, dao -> {
        if (dao.byName(name).isPresent()) throw new ConflictException("host " + name + " already exists");
        if (dao.methodExists(method) == 0) throw new IllegalArgumentException("unknown transfer method " + method);
        return dao.insert(name, type, method, s.address(), s.port() == null ? 0 : s.port(), orDefault(s.login(), ""),
            secrets.encrypt(s.password()), orDefault(s.directory(), ""),
            Json.write(SecretOptions.mapSecrets(s.options(), secrets::encrypt)),
            s.enabled() == null || s.enabled(), System.currentTimeMillis(), checkMaxConnections(s.maxConnections(), 0),
            acquisitionFrequency(s.acquisitionFrequency(), DEFAULT_ACQUISITION_FREQUENCY_MS));
      });
      generation.incrementAndGet();
      return byId(id); // a new host has no destination yet
    } catch (UnableToExecuteStatementException e) {
      throw new ConflictException("host " + name + " already exists");
    }
  }

  public Host update(String name, Spec s) {
    Host h = get(name);
    String type = s.type() != null ? s.type().toLowerCase() : h.type();
    String method = s.transferMethod() != null ? s.transferMethod().toLowerCase() : h.transferMethod();
    String address = s.address() != null ? s.address() : h.address();
    int port = s.port() != null ? s.port() : h.port();
    validate(type, method, address, port);
    checkLengths(s);
    if (s.directory() != null || s.options() != null || !type.equals(h.type())) {
      checkDirectory(type, s.directory() != null ? s.directory() : h.directory(), s.options() != null ? s.options() : h.options());
    }
    String pass = s.password() != null ? secrets.encrypt(s.password()) : h.passwordEnc();
    db.jdbi().useExtension(HostDao.class, dao -> {
      if (dao.methodExists(method) == 0) throw new IllegalArgumentException("unknown transfer method " + method);
      dao.update(h.id(), type, method, address, port, s.login() != null ? s.login() : h.login(), pass,
          s.directory() != null ? s.directory() : h.directory(),
          Json.write(s.options() != null ? SecretOptions.merge(s.options(), h.options(), secrets::encrypt) : h.options()),
          s.enabled() != null ? s.enabled() : h.enabled(), checkMaxConnections(s.maxConnections(), h.maxConnections()),
          acquisitionFrequency(s.acquisitionFrequency(), h.acquisitionFrequencyMs()));
    });
    generation.incrementAndGet();
    onChange.accept(destinationsOf(h.id()));
    return get(name);
  }

  /**
   * An acquisition host's Directory field holds acquisition rules (checked with its acquisition.*
   * options, every problem named by line and column); any other host's holds a path template.
   */
  private static void checkDirectory(String type, String directory, Map<String, String> options) {
    if (Host.ACQUISITION.equals(type)) DirectoryRules.check(directory, options);
    else DirectoryTemplate.check(directory);
  }

  /** Every text against its column (the password and options as they are stored, encrypted). */
  private void checkLengths(Spec s) {
    var limits = db.limits();
    limits.check("address", s.address(), "host", "address");
    limits.check("login", s.login(), "host", "login");
    limits.check("directory", s.directory(), "host", "directory");
    if (s.password() != null) {
      int max = limits.max("host", "password_enc");
      if (secrets.encrypt(s.password()).length() > max) {
        throw new IllegalArgumentException("password is too long");
      }
    }
    if (s.options() != null) {
      limits.check("options", Json.write(SecretOptions.mapSecrets(s.options(), secrets::encrypt)), "host", "options_json");
    }
  }

  /** {@code 5m}, {@code PT1H} or milliseconds; at least one second, so a typo cannot hammer a remote server. */
  private static long acquisitionFrequency(String given, long current) {
    if (given == null) return current;
    long ms;
    try {
      ms = org.ecpds.master.rules.DurationText.parse(given).toMillis();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("acquisitionFrequency: '" + given + "' is not a duration such as 30s, 5m or PT1H");
    }
    if (ms < 1000) throw new IllegalArgumentException("acquisitionFrequency must be at least 1s");
    return ms;
  }

  /** A host's cap over all its destinations; 0 means no cap of its own. */
  private static int checkMaxConnections(Integer given, int current) {
    int v = given == null ? current : given;
    if (v < 0 || v > 1000) throw new IllegalArgumentException("maxConnections must be 0-1000 (0 = no limit)");
    return v;
  }

  public void delete(String name) {
    Host h = get(name);
    List<Long> used = destinationsOf(h.id());
    db.jdbi().useExtension(HostDao.class, dao -> dao.delete(h.id()));
    generation.incrementAndGet();
    onChange.accept(used);
  }

  private List<Long> destinationsOf(long hostId) {
    return db.jdbi().withHandle(x -> x.createQuery("SELECT destination_id FROM destination_host WHERE host_id = :h")
        .bind("h", hostId).mapTo(Long.class).list());
  }

  public Host get(String name) {
    return db.jdbi().withExtension(HostDao.class, dao -> dao.byName(name))
        .orElseThrow(() -> new NotFoundException("host " + name + " not found"));
  }

  public Host byId(long id) {
    return db.jdbi().withExtension(HostDao.class, dao -> dao.byId(id))
        .orElseThrow(() -> new NotFoundException("host " + id + " not found"));
  }

  /**
   * Changes whenever a host is created, updated or deleted (after the write is committed): a host read
   * while this stayed the same is still current.
   */
  public long generation() {
    return generation.get();
  }

  public List<Host> list() {
    return db.jdbi().withExtension(HostDao.class, HostDao::all);
  }

  /** Options with secrets decrypted, only for handing to a mover. */
  public java.util.Map<String, String> clearOptions(Host h) {
    return SecretOptions.mapSecrets(h.options(), secrets::decrypt);
  }

  /** Everything a mover needs to reach the host (secrets in clear): the one place a HostSpec is built. */
  public org.ecpds.proto.HostSpec spec(Host h) {
    return org.ecpds.proto.HostSpec.newBuilder().setHostId(h.id()).setName(h.name()).setTransferMethod(h.transferMethod())
        .setAddress(h.address()).setPort(h.port()).setLogin(h.login()).setPassword(password(h))
        .putAllOptions(clearOptions(h)).build();
  }

  /** The clear-text password, only for handing to a mover. */
  public String password(Host h) {
    return secrets.decrypt(h.passwordEnc());
  }

  private static void validate(String type, String method, String address, Integer port) {
    if (!TYPES.contains(type)) throw new IllegalArgumentException("host type must be one of " + TYPES);
    if (address == null || address.isBlank()) throw new IllegalArgumentException("host address is required");
    if (port != null && (port < 0 || port > 65535)) throw new IllegalArgumentException("port must be 0-65535");
    if (method.isBlank()) throw new IllegalArgumentException("transfer method is required");
  }

  private static String orDefault(String v, String def) {
    return v == null || v.isBlank() ? def : v;
  }

  // ---------------------------------------------------------------- declarative configuration (secrets as stored)

  /** A host as the master stores it: password and secret option values encrypted with the master key. */
  public record Stored(String type, String transferMethod, String address, Integer port, String login,
      String passwordEncrypted, String directory, Map<String, String> options, Boolean enabled, Integer maxConnections,
      String acquisitionFrequency) {}

  /**
   * Creates or updates a host from its stored form (a configuration document). The same checks as
   * create and update, and every secret must decrypt with this master's key: a document made on
   * another master is refused (400) instead of storing secrets nobody can read.
   */
  public Host putStored(String name, Stored s) {
    Names.check("host", name);
    String type = orDefault(s.type(), Host.DISSEMINATION).toLowerCase();
    String method = orDefault(s.transferMethod(), "sftp").toLowerCase();
    validate(type, method, s.address(), s.port());
    Map<String, String> options = s.options() == null ? Map.of() : s.options();
    String pass = orDefault(s.passwordEncrypted(), "");
    readable("host " + name + " passwordEncrypted", pass);
    options.forEach((k, v) -> {
      if (SecretOptions.isSecret(k) && v != null && !v.isEmpty()) readable("host " + name + " option " + k, v);
    });
    var limits = db.limits();
    limits.check("address", s.address(), "host", "address");
    limits.check("login", s.login(), "host", "login");
    limits.check("directory", s.directory(), "host", "directory");
    limits.check("passwordEncrypted", pass, "host", "password_enc");
    limits.check("options", Json.write(options), "host", "options_json");
    String directory = orDefault(s.directory(), "");
    checkDirectory(type, directory, options);
    int port = s.port() == null ? 0 : s.port();
    int maxConnections = checkMaxConnections(s.maxConnections(), 0);
    long frequency = acquisitionFrequency(s.acquisitionFrequency(), DEFAULT_ACQUISITION_FREQUENCY_MS);
    boolean enabled = s.enabled() == null || s.enabled();
    var old = db.jdbi().withExtension(HostDao.class, dao -> dao.byName(name));
    db.jdbi().useExtension(HostDao.class, dao -> {
      if (dao.methodExists(method) == 0) throw new IllegalArgumentException("unknown transfer method " + method);
      if (old.isPresent()) {
        dao.update(old.get().id(), type, method, s.address(), port, orDefault(s.login(), ""), pass, directory,
            Json.write(options), enabled, maxConnections, frequency);
      } else {
        dao.insert(name, type, method, s.address(), port, orDefault(s.login(), ""), pass, directory, Json.write(options),
            enabled, System.currentTimeMillis(), maxConnections, frequency);
      }
    });
    generation.incrementAndGet();
    Host h = get(name);
    if (old.isPresent()) onChange.accept(destinationsOf(h.id()));
    return h;
  }

  private void readable(String field, String stored) {
    if (stored.isEmpty()) return;
    try {
      secrets.decrypt(stored);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(field + " cannot be decrypted with this master's key");
    }
  }
}
