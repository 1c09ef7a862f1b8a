package org.ecpds.portal.webdav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.https.DavExtension;
import org.ecpds.portal.https.HttpDates;
import org.ecpds.portal.https.HttpExchange;
import org.ecpds.portal.https.HttpReply;
import org.ecpds.portal.https.Preconditions;
import org.ecpds.portal.https.RequestPaths;
import org.w3c.dom.Element;

/**
 * WebDAV class 1 and 2 over the portal file system: PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, DELETE of
 * collections, LOCK and UNLOCK. Copies read and write through {@link PortalFs} (so they are checked
 * and accounted like any download and upload); dead properties and locks live in this server.
 */
public final class WebDav implements DavExtension {
  private static final String XML = "application/xml; charset=utf-8";
  private static final int COPY_BUFFER = 256 * 1024;

  private final LockManager locks;
  private final DeadProperties properties = new DeadProperties();

  public WebDav() {
    this(Clock.systemUTC());
  }

  WebDav(Clock clock) {
    this.locks = new LockManager(clock);
  }

  @Override
  public boolean handle(HttpExchange x) throws IOException, HttpReply {
    switch (x.method()) {
      case "OPTIONS" -> options(x);
      case "DELETE" -> delete(x);
      case "PROPFIND" -> propfind(x);
      case "PROPPATCH" -> proppatch(x);
      case "MKCOL" -> mkcol(x);
      case "COPY", "MOVE" -> copyOrMove(x, x.method().equals("MOVE"));
      case "LOCK" -> lock(x);
      case "UNLOCK" -> unlock(x);
      default -> {
        return false;
      }
    }
    return true;
  }

  @Override
  public void beforePut(HttpExchange x, FsPath target, boolean creates) throws IOException, HttpReply {
    IfHeader ifh = checkIf(x);
    requireLocks(x, ifh, target, creates, false);
  }

  private void options(HttpExchange x) throws IOException {
    x.setHeader("DAV", "1, 2");
    x.setHeader("MS-Author-Via", "DAV");
    x.setHeader("Allow", "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK");
    x.setHeader("Accept-Ranges", "bytes");
    x.sendEmpty(200);
  }

  // ---- If header and locks ----

  /** Parses and evaluates the If header; 412 when it does not hold. */
  private IfHeader checkIf(HttpExchange x) throws HttpReply {
    IfHeader ifh = IfHeader.parse(x.headers().getValuesList("If"));
    if (!ifh.present()) return ifh;
    for (IfHeader.ConditionList list : ifh.lists()) {
      FsPath resource;
      try {
        resource = list.resource() == null ? x.path() : RequestPaths.fromUri(list.resource());
      } catch (HttpReply | FsException e) {
        continue;
      }
      if (holds(x.fs(), resource, list.conditions())) return ifh;
    }
    throw new HttpReply(412, "the If header's conditions do not hold");
  }

  private boolean holds(PortalFs fs, FsPath resource, List<IfHeader.Condition> conditions) {
    String etag = null;
    boolean statted = false;
    for (IfHeader.Condition c : conditions) {
      boolean match;
      if (c.stateToken() != null) {
        Lock l = locks.byToken(c.stateToken());
        match = l != null && l.covers(resource);
      } else {
        if (!statted) {
          statted = true;
          try {
            etag = Preconditions.etag(fs.stat(resource));
          } catch (FsException e) {
            etag = null;
          }
        }
        match = etag != null && etag.equals(c.entityTag());
      }
      if (match == c.not()) return false;
    }
    return true;
  }

  /**
   * 423 unless the request submitted a token (of a lock this user holds) for each lock that protects
   * what it changes: the resource itself, its parent when members are added or removed, and every lock
   * below it when a whole tree is removed or replaced.
   */
  private void requireLocks(HttpExchange x, IfHeader ifh, FsPath path, boolean parentMembership, boolean subtree)
      throws HttpReply {
    Set<String> submitted = ifh.tokens();
    requireHeld(x, submitted, locks.covering(path), path);
    if (parentMembership && !path.isRoot()) {
      requireHeld(x, submitted, locks.covering(path.parent()), path.parent());
    }
    if (subtree) {
      for (Lock l : locks.within(path)) {
        if (!l.root().equals(path)) requireHeld(x, submitted, List.of(l), l.root());
      }
    }
  }

  private static void requireHeld(HttpExchange x, Set<String> submitted, List<Lock> protecting, FsPath path) throws HttpReply {
    if (protecting.isEmpty()) return;
    for (Lock l : protecting) {
      if (submitted.contains(l.token()) && l.user().equals(x.fs().user())) return;
    }
    throw new HttpReply(423, "locked: " + path).davCondition("lock-token-submitted");
  }

  // ---- DELETE ----

  private void delete(HttpExchange x) throws IOException, HttpReply {
    FsEntry e = x.fs().stat(x.path());
    String depth = x.header("Depth");
    if (e.directory() && depth != null && !depth.equalsIgnoreCase("infinity")) throw new HttpReply(400, "DELETE of a collection needs Depth: infinity");
    IfHeader ifh = checkIf(x);
    requireLocks(x, ifh, x.path(), true, e.directory());
    remove(x.fs(), e);
    properties.delete(x.path());
    locks.removeWithin(x.path());
    x.sendEmpty(204);
  }

  /** Removes a file, or a directory with everything below it. */
  private static void remove(PortalFs fs, FsEntry e) throws FsException {
    if (!e.directory()) {
      fs.delete(e.path());
      return;
    }
    for (FsEntry child : fs.list(e.path())) remove(fs, child);
    try {
      fs.rmdir(e.path());
    } catch (FsException gone) {
      // a directory that only existed through its files vanishes with the last of them
      if (gone.kind() != FsException.Kind.NOT_FOUND) throw gone;
    }
  }

  // ---- PROPFIND ----

  private enum Mode { ALL, NAMES, SELECTED }

  private void propfind(HttpExchange x) throws IOException, HttpReply {
    String depthHeader = x.header("Depth");
    int depth;
    if ("0".equals(depthHeader)) depth = 0;
    else if ("1".equals(depthHeader)) depth = 1;
    else if (depthHeader == null || depthHeader.equalsIgnoreCase("infinity")) {
      throw new HttpReply(403, "PROPFIND with Depth: infinity is not supported").davCondition("propfind-finite-depth");
    } else throw new HttpReply(400, "bad Depth header");
    Mode mode = Mode.ALL;
    List<PropertyName> wanted = new ArrayList<>();
    byte[] body = x.smallBody(HttpExchange.MAX_XML_BODY);
    if (body.length > 0) {
      Element root = SafeXml.parse(body);
      if (!SafeXml.is(root, SafeXml.DAV, "propfind")) throw new HttpReply(400, "expected a DAV:propfind body");
      Element prop = SafeXml.child(root, SafeXml.DAV, "prop");
      if (prop != null) {
        mode = Mode.SELECTED;
        for (Element p : SafeXml.children(prop)) wanted.add(PropertyName.of(p));
      } else if (SafeXml.child(root, SafeXml.DAV, "propname") != null) {
        mode = Mode.NAMES;
      } else if (SafeXml.child(root, SafeXml.DAV, "allprop") == null) {
        throw new HttpReply(400, "expected prop, propname or allprop in propfind");
      }
    }
    FsEntry self = x.fs().stat(x.path());
    List<FsEntry> entries = new ArrayList<>();
    entries.add(self);
    if (depth == 1 && self.directory()) entries.addAll(x.fs().list(x.path()));
    Multistatus ms = new Multistatus();
    for (FsEntry e : entries) {
      ms.begin(RequestPaths.href(e.path(), e.directory()));
      Map<PropertyName, String> live = liveProperties(e);
      Map<PropertyName, String> dead = properties.get(e.path());
      switch (mode) {
        case ALL -> {
          StringBuilder found = new StringBuilder();
          live.values().forEach(found::append);
          dead.values().forEach(found::append);
          ms.propstat(200, found);
        }
        case NAMES -> {
          StringBuilder names = new StringBuilder();
          live.keySet().forEach(n -> names.append(n.emptyElement()));
          dead.keySet().forEach(n -> names.append(n.emptyElement()));
          ms.propstat(200, names);
        }
        case SELECTED -> {
          StringBuilder found = new StringBuilder();
          StringBuilder missing = new StringBuilder();
          for (PropertyName n : wanted) {
            String v = live.containsKey(n) ? live.get(n) : dead.get(n);
            if (v != null) found.append(v);
            else missing.append(n.emptyElement());
          }
          if (found.length() > 0) ms.propstat(200, found);
          if (missing.length() > 0) ms.propstat(404, missing);
        }
      }
      ms.end();
    }
    x.send(207, XML, ms.finish());
  }

  private Map<PropertyName, String> liveProperties(FsEntry e) {
    Map<PropertyName, String> p = new LinkedHashMap<>();
    put(p, "resourcetype", e.directory() ? "<D:resourcetype><D:collection/></D:resourcetype>" : "<D:resourcetype/>");
    put(p, "displayname", "<D:displayname>" + SafeXml.escape(e.path().isRoot() ? "/" : e.name()) + "</D:displayname>");
    if (!e.directory()) {
      put(p, "getcontentlength", "<D:getcontentlength>" + e.size() + "</D:getcontentlength>");
      String type = org.eclipse.jetty.http.MimeTypes.DEFAULTS.getMimeByExtension(e.name());
      put(p, "getcontenttype", "<D:getcontenttype>" + SafeXml.escape(type == null ? "application/octet-stream" : type) + "</D:getcontenttype>");
    }
    put(p, "getlastmodified", "<D:getlastmodified>" + HttpDates.format(e.modifiedMillis()) + "</D:getlastmodified>");
    put(p, "getetag", "<D:getetag>" + SafeXml.escape(Preconditions.etag(e)) + "</D:getetag>");
    put(p, "supportedlock", "<D:supportedlock>"
        + "<D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>"
        + "<D:lockentry><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>"
        + "</D:supportedlock>");
    StringBuilder discovery = new StringBuilder("<D:lockdiscovery>");
    for (Lock l : locks.covering(e.path())) discovery.append(activeLock(l));
    put(p, "lockdiscovery", discovery.append("</D:lockdiscovery>").toString());
    return p;
  }

  private static void put(Map<PropertyName, String> p, String name, String xml) {
    p.put(new PropertyName(SafeXml.DAV, name), xml);
  }

  private String activeLock(Lock l) {
    long remaining = Math.max(0, (l.expiresAtMillis() - System.currentTimeMillis()) / 1000);
    return "<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope><D:" + (l.exclusive() ? "exclusive" : "shared")
        + "/></D:lockscope><D:depth>" + (l.deep() ? "infinity" : "0") + "</D:depth>"
        + (l.ownerXml() == null ? "" : "<D:owner>" + l.ownerXml() + "</D:owner>")
        + "<D:timeout>Second-" + remaining + "</D:timeout><D:locktoken><D:href>" + SafeXml.escape(l.token())
        + "</D:href></D:locktoken><D:lockroot><D:href>" + SafeXml.escape(RequestPaths.href(l.root(), false))
        + "</D:href></D:lockroot></D:activelock>";
  }

  // ---- PROPPATCH ----

  private void proppatch(HttpExchange x) throws IOException, HttpReply {
    FsEntry e = x.fs().stat(x.path());
    IfHeader ifh = checkIf(x);
    requireLocks(x, ifh, x.path(), false, false);
    if (!x.fs().allowed(FsPermission.PUT, x.path())) throw new HttpReply(403, "properties can only be set where files may be written");
    Element root = SafeXml.parse(x.smallBody(HttpExchange.MAX_XML_BODY));
    if (!SafeXml.is(root, SafeXml.DAV, "propertyupdate")) throw new HttpReply(400, "expected a DAV:propertyupdate body");
    Map<PropertyName, String> changes = new LinkedHashMap<>();
    List<PropertyName> order = new ArrayList<>();
    List<PropertyName> protectedOnes = new ArrayList<>();
    for (Element op : SafeXml.children(root)) {
      boolean set = SafeXml.is(op, SafeXml.DAV, "set");
      if (!set && !SafeXml.is(op, SafeXml.DAV, "remove")) continue;
      Element prop = SafeXml.child(op, SafeXml.DAV, "prop");
      if (prop == null) throw new HttpReply(400, "set and remove need a DAV:prop");
      for (Element p : SafeXml.children(prop)) {
        PropertyName name = PropertyName.of(p);
        if (name.isDav()) protectedOnes.add(name);
        changes.remove(name);
        changes.put(name, set ? SafeXml.fragment(p) : null);
        if (!order.contains(name)) order.add(name);
      }
    }
    Multistatus ms = new Multistatus().begin(RequestPaths.href(x.path(), e.directory()));
    if (!protectedOnes.isEmpty()) {
      StringBuilder denied = new StringBuilder();
      StringBuilder dependent = new StringBuilder();
      for (PropertyName n : order) (protectedOnes.contains(n) ? denied : dependent).append(n.emptyElement());
      ms.propstat(403, denied);
      if (dependent.length() > 0) ms.propstat(424, dependent);
    } else {
      StringBuilder names = new StringBuilder();
      order.forEach(n -> names.append(n.emptyElement()));
      ms.propstat(properties.apply(x.path(), changes) ? 200 : 507, names);
    }
    x.send(207, XML, ms.end().finish());
  }

  // ---- MKCOL ----

  private void mkcol(HttpExchange x) throws IOException, HttpReply {
    if (x.hasBody()) throw new HttpReply(415, "MKCOL with a body is not supported");
    IfHeader ifh = checkIf(x);
    if (statOrNull(x.fs(), x.path()) != null) throw new HttpReply(405, "something already exists at " + x.path()).header("Allow", "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, COPY, MOVE, LOCK, UNLOCK");
    requireLocks(x, ifh, x.path(), true, false);
    try {
      x.fs().mkdir(x.path());
    } catch (FsException e) {
      switch (e.kind()) {
        case EXISTS -> throw new HttpReply(405, "something already exists at " + x.path());
        case NOT_FOUND, NOT_DIRECTORY -> throw new HttpReply(409, "the parent collection does not exist");
        default -> throw e;
      }
    }
    x.setHeader("Location", RequestPaths.href(x.path(), true));
    x.send(201, "text/plain; charset=utf-8", "201 Created\n");
  }

  private static FsEntry statOrNull(PortalFs fs, FsPath path) throws FsException {
    try {
      return fs.stat(path);
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND) return null;
      throw e;
    }
  }

  // ---- COPY and MOVE ----

  private void copyOrMove(HttpExchange x, boolean move) throws IOException, HttpReply {
    String destination = x.header("Destination");
    if (destination == null) throw new HttpReply(400, "a Destination header is required");
    FsPath to = RequestPaths.fromUri(destination);
    String overwriteHeader = x.header("Overwrite");
    boolean overwrite;
    if (overwriteHeader == null || overwriteHeader.trim().equalsIgnoreCase("T")) overwrite = true;
    else if (overwriteHeader.trim().equalsIgnoreCase("F")) overwrite = false;
    else throw new HttpReply(400, "Overwrite must be T or F");
    String depthHeader = x.header("Depth");
    boolean deep;
    if (depthHeader == null || depthHeader.equalsIgnoreCase("infinity")) deep = true;
    else if (!move && depthHeader.equals("0")) deep = false;
    else throw new HttpReply(400, "bad Depth for " + x.method());
    FsPath from = x.path();
    FsEntry source = x.fs().stat(from);
    if (to.equals(from)) throw new HttpReply(403, "the source and the destination are the same");
    if (source.directory() && from.contains(to)) throw new HttpReply(409, "cannot copy or move a collection into itself");
    IfHeader ifh = checkIf(x);
    if (move) requireLocks(x, ifh, from, true, true);
    requireLocks(x, ifh, to, true, true);
    FsEntry parent = statOrNull(x.fs(), to.parent());
    if (parent == null || !parent.directory()) throw new HttpReply(409, "the destination's parent collection does not exist");
    FsEntry existing = statOrNull(x.fs(), to);
    if (existing != null) {
      if (!overwrite) throw new HttpReply(412, "the destination exists and Overwrite is F");
      remove(x.fs(), existing);
      properties.delete(to);
    }
    if (move) {
      x.fs().rename(from, to);
      properties.copy(from, to, true);
      locks.removeWithin(from);
    } else {
      copyTree(x.fs(), source, to, deep);
      if (deep) properties.copy(from, to, false);
      else properties.apply(to, new LinkedHashMap<>(properties.get(from)));
    }
    if (existing != null) {
      x.sendEmpty(204);
    } else {
      x.setHeader("Location", RequestPaths.href(to, source.directory()));
      x.send(201, "text/plain; charset=utf-8", "201 Created\n");
    }
  }

  private static void copyTree(PortalFs fs, FsEntry source, FsPath to, boolean deep) throws IOException {
    if (!source.directory()) {
      copyFile(fs, source.path(), to);
      return;
    }
    fs.mkdir(to);
    if (!deep) return;
    for (FsEntry child : fs.list(source.path())) copyTree(fs, child, to.child(child.name()), true);
  }

  private static void copyFile(PortalFs fs, FsPath from, FsPath to) throws IOException {
    try (FsReader reader = fs.read(from); FsUpload upload = fs.write(to)) {
      ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
      long position = 0;
      int n;
      while ((n = reader.read(buffer.clear(), position)) > 0) {
        position += n;
        buffer.flip();
        while (buffer.hasRemaining()) upload.write(buffer);
      }
      upload.commit();
    }
  }

  // ---- LOCK and UNLOCK ----

  private void lock(HttpExchange x) throws IOException, HttpReply {
    long timeout = LockManager.timeout(x.header("Timeout"));
    byte[] body = x.smallBody(HttpExchange.MAX_XML_BODY);
    if (body.length == 0) {
      refresh(x, timeout);
      return;
    }
    Element info = SafeXml.parse(body);
    if (!SafeXml.is(info, SafeXml.DAV, "lockinfo")) throw new HttpReply(400, "expected a DAV:lockinfo body");
    Element scope = SafeXml.child(info, SafeXml.DAV, "lockscope");
    Element type = SafeXml.child(info, SafeXml.DAV, "locktype");
    if (scope == null || type == null || SafeXml.child(type, SafeXml.DAV, "write") == null) {
      throw new HttpReply(400, "only write locks with a lockscope exist");
    }
    boolean exclusive = SafeXml.child(scope, SafeXml.DAV, "exclusive") != null;
    if (!exclusive && SafeXml.child(scope, SafeXml.DAV, "shared") == null) throw new HttpReply(400, "lockscope must be exclusive or shared");
    Element owner = SafeXml.child(info, SafeXml.DAV, "owner");
    String ownerXml = owner == null ? null : SafeXml.content(owner, null);
    if (ownerXml != null && ownerXml.length() > DeadProperties.MAX_VALUE_CHARS) throw new HttpReply(400, "lock owner too long");
    String depthHeader = x.header("Depth");
    boolean deep;
    if (depthHeader == null || depthHeader.equalsIgnoreCase("infinity")) deep = true;
    else if (depthHeader.equals("0")) deep = false;
    else throw new HttpReply(400, "Depth must be 0 or infinity for LOCK");
    checkIf(x);
    FsEntry existing = statOrNull(x.fs(), x.path());
    if (existing == null) {
      // a lock on an unmapped URL reserves the name (a lock-null resource) without creating a file
      FsEntry parent = statOrNull(x.fs(), x.path().parent());
      if (parent == null || !parent.directory()) throw new HttpReply(409, "the parent collection does not exist");
    }
    if (!x.fs().allowed(FsPermission.PUT, x.path())) throw new HttpReply(403, "locks can only be taken where files may be written");
    Lock lock = locks.create(x.path(), deep && (existing == null || existing.directory()), exclusive, x.fs().user(), ownerXml, timeout);
    if (lock == null) throw new HttpReply(423, "the resource is locked").davCondition("no-conflicting-lock");
    x.setHeader("Lock-Token", "<" + lock.token() + ">");
    x.send(existing == null ? 201 : 200, XML, lockReply(lock));
  }

  private void refresh(HttpExchange x, long timeout) throws IOException, HttpReply {
    IfHeader ifh = checkIf(x);
    for (String token : ifh.tokens()) {
      Lock l = locks.byToken(token);
      if (l != null && l.covers(x.path()) && l.user().equals(x.fs().user())) {
        x.send(200, XML, lockReply(locks.refresh(l, timeout)));
        return;
      }
    }
    throw new HttpReply(412, "no lock to refresh was named in the If header").davCondition("lock-token-matches-request-uri");
  }

  private String lockReply(Lock lock) {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>" + activeLock(lock)
        + "</D:lockdiscovery></D:prop>\n";
  }

  private void unlock(HttpExchange x) throws IOException, HttpReply {
    String header = x.header("Lock-Token");
    if (header == null) throw new HttpReply(400, "a Lock-Token header is required");
    String token = header.trim();
    if (token.startsWith("<") && token.endsWith(">")) token = token.substring(1, token.length() - 1);
    Lock l = locks.byToken(token);
    if (l == null || !l.covers(x.path())) throw new HttpReply(409, "no such lock on this resource").davCondition("lock-token-matches-request-uri");
    if (!l.user().equals(x.fs().user())) throw new HttpReply(403, "the lock belongs to another user");
    locks.remove(token);
    x.sendEmpty(204);
  }
}
