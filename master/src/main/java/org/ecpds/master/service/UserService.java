package org.ecpds.master.service;

import java.util.List;
import java.util.Optional;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.UserDao;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.ForbiddenException;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.domain.UserKey;
import org.ecpds.master.domain.WebUser;
import org.ecpds.common.portal.PortalRights;
import org.ecpds.master.security.PublicKeys;
import org.ecpds.master.security.Passwords;

/** Web users (operators), incoming users (data users) and what they may do. */
public final class UserService {
  private final Database db;
  private final Passwords passwords;
  private final DestinationService destinations;

  public UserService(Database db, Passwords passwords, DestinationService destinations) {
    this.db = db;
    this.passwords = passwords;
    this.destinations = destinations;
  }

  /** Who a request runs as: an operator (all rights) or an incoming user (their permissions). */
  public record Principal(String name, boolean admin, long incomingUserId) {
    public static Principal admin(String name) {
      return new Principal(name, true, 0);
    }
  }

  public Optional<Principal> authenticate(String user, String password) {
    if (user == null || password == null) return Optional.empty();
    Optional<WebUser> web = db.jdbi().withExtension(UserDao.class, dao -> dao.webUserByName(user));
    if (web.isPresent()) {
      WebUser w = web.get();
      if (!w.enabled() || !passwords.verify(password, w.passwordHash())) return Optional.empty();
      // A read-only web user holds no incoming-user permissions either: every change is refused.
      return Optional.of(w.operator() ? Principal.admin(w.name()) : new Principal(w.name(), false, 0));
    }
    Optional<IncomingUser> in = db.jdbi().withExtension(UserDao.class, dao -> dao.incomingByName(user));
    return in.filter(IncomingUser::enabled).filter(u -> passwords.verify(password, u.passwordHash()))
        .map(u -> new Principal(u.name(), false, u.id()));
  }

  /** Only web users may log in to the monitor, operators and read-only users alike. */
  public Optional<WebUser> authenticateWebUser(String user, String password) {
    if (user == null || password == null) return Optional.empty();
    return db.jdbi().withExtension(UserDao.class, dao -> dao.webUserByName(user))
        .filter(WebUser::enabled).filter(w -> passwords.verify(password, w.passwordHash()));
  }

  public Optional<IncomingUser> authenticateIncoming(String user, String password) {
    Optional<IncomingUser> in = db.jdbi().withExtension(UserDao.class, dao -> dao.incomingByName(user));
    return in.filter(IncomingUser::enabled).filter(u -> passwords.verify(password, u.passwordHash()));
  }

  public void ensureWebUser(String name, String password) {
    db.jdbi().useExtension(UserDao.class, dao -> {
      if (dao.webUserByName(name).isEmpty()) dao.insertWebUser(name, passwords.hash(password), "admin", System.currentTimeMillis());
    });
  }

  /** A new web user with one role ({@link WebUser#OPERATOR} or {@link WebUser#READ_ONLY}). */
  public WebUser createWebUser(String name, String password, String role) {
    Names.check("user", name);
    if (!WebUser.knownRole(role)) {
      throw new IllegalArgumentException("role must be " + WebUser.OPERATOR + " or " + WebUser.READ_ONLY);
    }
    String hash = passwords.hash(password); // refuses a short or missing password
    db.jdbi().useExtension(UserDao.class, dao -> {
      if (dao.webUserByName(name).isPresent() || dao.incomingByName(name).isPresent()) {
        throw new ConflictException("user " + name + " already exists");
      }
      dao.insertWebUser(name, hash, role, System.currentTimeMillis());
    });
    return db.jdbi().withExtension(UserDao.class, dao -> dao.webUserByName(name)).orElseThrow();
  }

  public boolean hasWebUsers() {
    return db.jdbi().withExtension(UserDao.class, UserDao::countWebUsers) > 0;
  }

  public IncomingUser createIncoming(String name, String password, String email) {
    return createIncoming(name, password, email, true);
  }

  public IncomingUser createIncoming(String name, String password, String email, boolean enabled) {
    Names.check("user", name);
    db.limits().check("email", email, "incoming_user", "email");
    String hash = passwords.hash(password);
    db.jdbi().useExtension(UserDao.class, dao -> {
      if (dao.incomingByName(name).isPresent() || dao.webUserByName(name).isPresent()) {
        throw new ConflictException("user " + name + " already exists");
      }
      dao.insertIncoming(name, hash, email == null ? "" : email, enabled, System.currentTimeMillis());
    });
    return incoming(name);
  }

  public IncomingUser updateIncoming(String name, String password, String email, Boolean enabled) {
    IncomingUser u = incoming(name);
    db.limits().check("email", email, "incoming_user", "email");
    String hash = password != null ? passwords.hash(password) : u.passwordHash();
    db.jdbi().useExtension(UserDao.class, dao -> dao.updateIncoming(u.id(), hash, email != null ? email : u.email(),
        enabled != null ? enabled : u.enabled()));
    return incoming(name);
  }

  public void deleteIncoming(String name) {
    IncomingUser u = incoming(name);
    db.jdbi().useExtension(UserDao.class, dao -> dao.deleteIncoming(u.id()));
  }

  public Optional<IncomingUser> findIncoming(String name) {
    return db.jdbi().withExtension(UserDao.class, dao -> dao.incomingByName(name));
  }

  public IncomingUser incoming(String name) {
    return db.jdbi().withExtension(UserDao.class, dao -> dao.incomingByName(name))
        .orElseThrow(() -> new NotFoundException("user " + name + " not found"));
  }

  public List<IncomingUser> listIncoming() {
    return db.jdbi().withExtension(UserDao.class, UserDao::allIncoming);
  }

  public void grant(String user, String destination, boolean get, boolean put, boolean delete, boolean dir) {
    Permission.Rights d = Permission.Rights.defaults();
    grant(user, destination, new Permission.Rights(get, put, delete, dir, d.mkdir(), d.rmdir(), d.rename(), d.size(),
        d.mtime(), List.of()));
  }

  /** Replaces the user's permission on the destination (flags and path rules) in one transaction. */
  public void grant(String user, String destination, Permission.Rights rights) {
    for (Permission.Rule r : rights.rules()) {
      PortalRights.problem(r.permission(), r.regex()).ifPresent(why -> {
        throw new IllegalArgumentException("path rule: " + why);
      });
      db.limits().check("regex", r.regex(), "incoming_permission_rule", "regex");
    }
    IncomingUser u = incoming(user);
    Destination d = destinations.get(destination);
    db.jdbi().useTransaction(h -> {
      UserDao dao = h.attach(UserDao.class);
      dao.deletePermission(u.id(), d.id());
      dao.insertPermission(u.id(), d.id(), rights);
      for (Permission.Rule r : rights.rules()) {
        dao.insertRule(u.id(), d.id(), PortalRights.Right.of(r.permission()).orElseThrow().wireName(), r.regex());
      }
    });
  }

  public void revoke(String user, String destination) {
    IncomingUser u = incoming(user);
    Destination d = destinations.get(destination);
    if (db.jdbi().withExtension(UserDao.class, dao -> dao.deletePermission(u.id(), d.id())) == 0) {
      throw new NotFoundException("user " + user + " has no permission on " + destination);
    }
  }

  public List<Permission> permissions(String user) {
    return permissions(incoming(user).id());
  }

  public List<Permission> permissions(long userId) {
    return db.jdbi().inTransaction(h -> {
      UserDao dao = h.attach(UserDao.class);
      List<UserDao.RuleRow> rules = dao.rulesOf(userId);
      return dao.permissionsOf(userId).stream().map(p -> new Permission(userId, p.destinationId(), p.destination(),
          new Permission.Rights(p.canGet(), p.canPut(), p.canDelete(), p.canDir(), p.canMkdir(), p.canRmdir(),
              p.canRename(), p.canSize(), p.canMtime(), rules.stream().filter(r -> r.destinationId() == p.destinationId())
                  .map(r -> new Permission.Rule(r.permission(), r.regex())).toList()))).toList();
    });
  }

  // ---------------------------------------------------------------- public keys (SFTP/SCP login)

  public UserKey addKey(String user, String key) {
    PublicKeys.Parsed k = PublicKeys.parse(key);
    db.limits().check("key", k.text(), "incoming_user_key", "public_key");
    IncomingUser u = incoming(user);
    long id = db.jdbi().inTransaction(h -> {
      UserDao dao = h.attach(UserDao.class);
      if (dao.countKey(u.id(), k.fingerprint()) > 0) {
        throw new ConflictException("user " + user + " already has the key " + k.fingerprint());
      }
      return dao.insertKey(u.id(), k.text(), k.fingerprint(), System.currentTimeMillis());
    });
    return keys(user).stream().filter(x -> x.id() == id).findFirst().orElseThrow();
  }

  public List<UserKey> keys(String user) {
    IncomingUser u = incoming(user);
    return db.jdbi().withExtension(UserDao.class, dao -> dao.keysOf(u.id()));
  }

  public void deleteKey(String user, long keyId) {
    IncomingUser u = incoming(user);
    if (db.jdbi().withExtension(UserDao.class, dao -> dao.deleteKey(u.id(), keyId)) == 0) {
      throw new NotFoundException("user " + user + " has no key " + keyId);
    }
  }

  /** An enabled user holding this key (compared by fingerprint); empty for anything else, a bad key included. */
  public Optional<IncomingUser> authenticateIncomingKey(String user, String key) {
    String fingerprint;
    try {
      fingerprint = PublicKeys.parse(key).fingerprint();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Optional<IncomingUser> in = user == null ? Optional.empty()
        : db.jdbi().withExtension(UserDao.class, dao -> dao.incomingByName(user));
    return in.filter(IncomingUser::enabled)
        .filter(u -> db.jdbi().withExtension(UserDao.class, dao -> dao.countKey(u.id(), fingerprint)) > 0);
  }

  /** Throws unless the principal may put into the destination (checked before existence: no name probing). */
  public void requirePut(Principal p, String destination) {
    if (p.admin()) return;
    boolean ok = permissions(p.incomingUserId()).stream()
        .anyMatch(perm -> perm.destination().equals(destination) && perm.canPut());
    if (!ok) throw new ForbiddenException("user " + p.name() + " may not put into destination " + destination);
  }

  public void requireDelete(Principal p, String destination) {
    if (p.admin()) return;
    boolean ok = permissions(p.incomingUserId()).stream()
        .anyMatch(perm -> perm.destination().equals(destination) && perm.canDelete());
    if (!ok) throw new ForbiddenException("user " + p.name() + " may not delete from destination " + destination);
  }

  public void requireGet(Principal p, String destination) {
    if (p.admin()) return;
    boolean ok = permissions(p.incomingUserId()).stream()
        .anyMatch(perm -> perm.destination().equals(destination) && (perm.canGet() || perm.canPut()));
    if (!ok) throw new ForbiddenException("user " + p.name() + " may not read destination " + destination);
  }

  /**
   * The operator a node link (the monitor) acts for: an enabled web user, or refused. The monitor
   * authenticated the person; the master still checks who it is, and that the role allows
   * changes, before any action. This is the one place the read-only role is enforced for the
   * monitor: a forged form from a read-only session ends here whatever the monitor displayed.
   */
  public Principal operator(String name) {
    Optional<WebUser> web = name == null || name.isBlank() ? Optional.empty()
        : db.jdbi().withExtension(UserDao.class, dao -> dao.webUserByName(name));
    String who = name == null || name.isBlank() ? "(none)" : name;
    if (web.isEmpty() || !web.get().enabled()) throw new ForbiddenException("user " + who + " is not an operator");
    if (!web.get().operator()) throw new ForbiddenException("user " + who + " is read-only");
    return Principal.admin(web.get().name());
  }

  public void requireAdmin(Principal p) {
    if (!p.admin()) throw new ForbiddenException("user " + p.name() + " is not an operator");
  }

  // ---------------------------------------------------------------- declarative configuration (hashes, not passwords)

  /**
   * Creates or updates a data user from a stored password hash (a bcrypt hash, or "" for a user who
   * cannot log in with a password, such as OpenECPDS's incoming/user/add2).
   */
  public IncomingUser putIncomingHashed(String name, String passwordHash, String email, boolean enabled) {
    Names.check("user", name);
    String hash = checkHash("passwordHash of user " + name, passwordHash);
    db.limits().check("email", email, "incoming_user", "email");
    String mail = email == null ? "" : email;
    db.jdbi().useExtension(UserDao.class, dao -> {
      Optional<IncomingUser> old = dao.incomingByName(name);
      if (old.isPresent()) {
        dao.updateIncoming(old.get().id(), hash, mail, enabled);
      } else {
        if (dao.webUserByName(name).isPresent()) throw new ConflictException("a web user " + name + " exists");
        dao.insertIncoming(name, hash, mail, enabled, System.currentTimeMillis());
      }
    });
    return incoming(name);
  }

  public List<WebUser> webUsers() {
    return db.jdbi().withExtension(UserDao.class, UserDao::allWebUsers);
  }

  /** Creates or updates an operator from a stored bcrypt hash. */
  public void putWebUser(String name, String passwordHash, String roles, boolean enabled) {
    Names.check("web user", name);
    String hash = checkHash("passwordHash of web user " + name, passwordHash);
    if (hash.isEmpty()) throw new IllegalArgumentException("passwordHash of web user " + name + " is required");
    String r = roles == null ? "admin" : roles;
    db.limits().check("roles", r, "web_user", "roles");
    db.jdbi().useExtension(UserDao.class, dao -> {
      Optional<WebUser> old = dao.webUserByName(name);
      if (old.isPresent()) {
        dao.updateWebUser(old.get().id(), hash, r, enabled);
      } else {
        if (dao.incomingByName(name).isPresent()) throw new ConflictException("an incoming user " + name + " exists");
        long id = dao.insertWebUser(name, hash, r, System.currentTimeMillis());
        if (!enabled) dao.updateWebUser(id, hash, r, false);
      }
    });
  }

  public void deleteWebUser(String name) {
    WebUser w = db.jdbi().withExtension(UserDao.class, dao -> dao.webUserByName(name))
        .orElseThrow(() -> new NotFoundException("web user " + name + " not found"));
    db.jdbi().useExtension(UserDao.class, dao -> dao.deleteWebUser(w.id()));
  }

  /** A bcrypt hash as Passwords writes it ($2a/$2b/$2y, cost, 53 characters), or "". */
  private static String checkHash(String field, String hash) {
    if (hash == null || hash.isEmpty()) return "";
    if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
      throw new IllegalArgumentException(field + " is not a bcrypt hash ($2b$NN$ followed by 53 characters)");
    }
    return hash;
  }
}
