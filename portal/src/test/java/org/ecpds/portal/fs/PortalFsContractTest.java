package org.ecpds.portal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ecpds.portal.fs.FsPermission.DELETE;
import static org.ecpds.portal.fs.FsPermission.DIR;
import static org.ecpds.portal.fs.FsPermission.GET;
import static org.ecpds.portal.fs.FsPermission.MKDIR;
import static org.ecpds.portal.fs.FsPermission.MTIME;
import static org.ecpds.portal.fs.FsPermission.PUT;
import static org.ecpds.portal.fs.FsPermission.RENAME;
import static org.ecpds.portal.fs.FsPermission.RMDIR;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ecpds.portal.fs.FsException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The portal file system's contract, held by the in-memory implementation that adapter tests use and by
 * the mover's real one (over an in-process master): same namespace, permissions, error kinds,
 * uploads, changes and accounting. Every test runs against both.
 */
class PortalFsContractTest {
  @TempDir static Path tmp;
  private static int instance;
  private final List<PortalFixture> open = new ArrayList<>();

  static Stream<Arguments> portals() {
    return Stream.of(
        Arguments.of(Named.of("MemoryPortal", (Function<Object, PortalFixture>) o -> new PortalFixture.Memory())),
        Arguments.of(Named.of("MoverPortal, fake master", (Function<Object, PortalFixture>) o -> {
          try {
            return new PortalFixture.Mover(tmp.resolve("mover" + (++instance)));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        })),
        Arguments.of(Named.of("MoverPortal, real master", (Function<Object, PortalFixture>) o -> {
          try {
            return new RealMasterFixture(tmp.resolve("real" + (++instance)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        })));
  }

  @AfterEach
  void close() throws Exception {
    for (PortalFixture f : open) f.close();
  }

  /** alice: everything on "d"; listing and download only on "ro"; bob sees "b" only. */
  private PortalFixture portal(Function<Object, PortalFixture> make) {
    PortalFixture f = make.apply(null);
    open.add(f);
    f.user("alice", "pw-alice-1").user("bob", "pw-bob-22").grant("alice", "d").grant("alice", "ro", GET, DIR)
        .grant("bob", "b").file("/d/a.txt", bytes("alpha")).file("/d/sub/deep/x.bin", bytes("xx"))
        .file("/ro/r.txt", bytes("read only")).file("/b/bob.txt", bytes("bob"));
    return f;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static FsPath p(String s) throws FsException {
    return FsPath.parse(s);
  }

  private static void kind(Kind kind, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(FsException.class).extracting(e -> ((FsException) e).kind()).isEqualTo(kind);
  }

  private static List<String> names(List<FsEntry> entries) {
    return entries.stream().map(e -> e.name() + (e.directory() ? "/" : "")).toList();
  }

  private static byte[] readAll(PortalFs fs, String path) throws IOException {
    try (FsReader r = fs.read(p(path))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer b = ByteBuffer.allocate(3);
      long pos = 0;
      for (int n; (n = r.read(b.clear(), pos)) >= 0; pos += n) out.write(b.array(), 0, n);
      return out.toByteArray();
    }
  }

  private static FsEntry upload(PortalFs fs, String path, String content) throws IOException {
    try (FsUpload u = fs.write(p(path))) {
      u.write(ByteBuffer.wrap(bytes(content)));
      return u.commit();
    }
  }

  // ---------------------------------------------------------------------------------- namespace

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void namespaceComesFromTargetNamesAndGrants(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      assertThat(fs.user()).isEqualTo("alice");
      assertThat(names(fs.list(FsPath.ROOT))).containsExactly("d/", "ro/");
      assertThat(names(fs.list(p("/d")))).containsExactly("a.txt", "sub/");
      assertThat(names(fs.list(p("/d/sub")))).containsExactly("deep/");
      FsEntry a = fs.stat(p("/d/a.txt"));
      assertThat(a.directory()).isFalse();
      assertThat(a.size()).isEqualTo(5);
      assertThat(a.etag()).isNotBlank();
      assertThat(fs.stat(p("/d/sub/deep")).directory()).isTrue();
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/d/missing")));
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/b")));          // bob's destination does not exist for alice
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/b/bob.txt")));
      kind(Kind.NOT_FOUND, () -> fs.list(p("/b")));
      kind(Kind.NOT_DIRECTORY, () -> fs.list(p("/d/a.txt")));
      kind(Kind.IS_DIRECTORY, () -> fs.read(p("/d/sub")));
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/d/a.txt/x")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void escapesCannotBeAddressed(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    kind(Kind.INVALID_NAME, () -> FsPath.parse("/.."));
    kind(Kind.INVALID_NAME, () -> FsPath.parse("/d/../../etc/passwd"));
    kind(Kind.INVALID_NAME, () -> FsPath.parse("/d/a\u0000b"));
    kind(Kind.INVALID_NAME, () -> p("/d").child(".."));
    assertThat(FsPath.parse("/d/sub/../a.txt")).isEqualTo(p("/d/a.txt"));
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      assertThat(readAll(fs, p("/d/sub").resolve("../a.txt").toString())).isEqualTo(bytes("alpha"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void wrongPasswordsAndUnknownUsersAreRefused(Function<Object, PortalFixture> make) {
    PortalFixture f = portal(make);
    assertThatThrownBy(() -> f.session("alice", "wrong")).isInstanceOf(LoginException.class);
    assertThatThrownBy(() -> f.session("nobody", "pw-alice-1")).isInstanceOf(LoginException.class);
  }

  // -------------------------------------------------------------------------------- permissions

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void eachPermissionIsCheckedOnItsOwn(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      // "ro": GET and DIR only
      assertThat(readAll(fs, "/ro/r.txt")).isEqualTo(bytes("read only"));
      assertThat(names(fs.list(p("/ro")))).containsExactly("r.txt");
      assertThat(fs.allowed(GET, p("/ro/r.txt"))).isTrue();
      for (FsPermission denied : EnumSet.of(PUT, DELETE, MKDIR, RMDIR, RENAME, MTIME)) {
        assertThat(fs.allowed(denied, p("/ro/r.txt"))).as(denied.name()).isFalse();
      }
      kind(Kind.DENIED, () -> fs.write(p("/ro/new.txt")));
      kind(Kind.DENIED, () -> fs.delete(p("/ro/r.txt")));
      kind(Kind.DENIED, () -> fs.mkdir(p("/ro/dir")));
      kind(Kind.DENIED, () -> fs.rename(p("/ro/r.txt"), p("/ro/s.txt")));
      kind(Kind.DENIED, () -> fs.setModified(p("/ro/r.txt"), 1000));
      assertThat(names(fs.list(p("/ro")))).containsExactly("r.txt");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void listingAndDownloadAreSeparatePermissions(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    f.user("carol", "pw-carol-3").grant("carol", "ro", GET).grant("carol", "d", DIR, RMDIR);
    try (PortalFs fs = f.session("carol", "pw-carol-3")) {
      assertThat(names(fs.list(FsPath.ROOT))).containsExactly("d/", "ro/");
      kind(Kind.DENIED, () -> fs.list(p("/ro")));
      assertThat(readAll(fs, "/ro/r.txt")).isEqualTo(bytes("read only"));
      assertThat(names(fs.list(p("/d")))).containsExactly("a.txt", "sub/");
      kind(Kind.DENIED, () -> fs.read(p("/d/a.txt")));
      kind(Kind.NOT_EMPTY, () -> fs.rmdir(p("/d/sub/deep"))); // RMDIR is granted, the directory holds x.bin
      kind(Kind.DENIED, () -> fs.mkdir(p("/d/sub/new")));
    }
  }

  // ------------------------------------------------------------------------------------ uploads

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void uploadIsVisibleOnlyAfterCommitAndReplaces(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      FsUpload u = fs.write(p("/d/new.txt"));
      u.write(ByteBuffer.wrap(bytes("new ")));
      u.write(ByteBuffer.wrap(bytes("content")));
      assertThat(u.written()).isEqualTo(11);
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/d/new.txt")));
      FsEntry e = u.commit();
      assertThat(u.commit()).isEqualTo(e);
      u.close();
      assertThat(e.size()).isEqualTo(11);
      assertThat(fs.stat(p("/d/new.txt")).size()).isEqualTo(11);
      assertThat(readAll(fs, "/d/new.txt")).isEqualTo(bytes("new content"));
      String before = fs.stat(p("/d/a.txt")).etag();
      upload(fs, "/d/a.txt", "replaced");
      assertThat(fs.stat(p("/d/a.txt")).etag()).isNotEqualTo(before);
      assertThat(readAll(fs, "/d/a.txt")).isEqualTo(bytes("replaced"));
      // abandoned upload leaves nothing
      try (FsUpload gone = fs.write(p("/d/abandoned.txt"))) {
        gone.write(ByteBuffer.wrap(bytes("half")));
      }
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/d/abandoned.txt")));
      upload(fs, "/d/sub/deep/inner.txt", "inner");
    }
    try (PortalFs other = f.session("alice", "pw-alice-1")) {
      assertThat(names(other.list(p("/d")))).containsExactly("a.txt", "new.txt", "sub/");
      assertThat(readAll(other, "/d/sub/deep/inner.txt")).isEqualTo(bytes("inner"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void anUploadsMetadataIsKeptAndFollowsARename(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    Map<String, String> meta = Map.of("color", "blue", "http.content-type", "text/plain");
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      FsUpload u = fs.write(p("/d/m.txt"));
      u.write(ByteBuffer.wrap(bytes("meta")));
      assertThat(u.commit(meta).metadata()).isEqualTo(meta);
      u.close();
      assertThat(fs.stat(p("/d/m.txt")).metadata()).isEqualTo(meta);
      assertThat(fs.stat(p("/d/a.txt")).metadata()).isEmpty();
      fs.rename(p("/d/m.txt"), p("/d/n.txt"));
    }
    try (PortalFs other = f.session("alice", "pw-alice-1")) {
      assertThat(other.stat(p("/d/n.txt")).metadata()).isEqualTo(meta);
      assertThat(other.list(p("/d")).stream().filter(e -> e.name().equals("n.txt")).findFirst().orElseThrow().metadata())
          .isEqualTo(meta);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void uploadsNeedADirectoryInADestination(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      kind(Kind.DENIED, () -> fs.write(FsPath.ROOT));
      kind(Kind.DENIED, () -> fs.write(p("/d")));
      kind(Kind.DENIED, () -> fs.write(p("/newdest")));
      kind(Kind.NOT_FOUND, () -> fs.write(p("/b/x.txt")));
      kind(Kind.NOT_FOUND, () -> fs.write(p("/d/nodir/x.txt")));
      kind(Kind.NOT_DIRECTORY, () -> fs.write(p("/d/a.txt/x.txt")));
      kind(Kind.IS_DIRECTORY, () -> fs.write(p("/d/sub")));
    }
  }

  /** S3 keys with slashes: the key's directories come with the file, for a user who may PUT but not MKDIR. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void uploadsWithParentsNeedPutOnly(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    f.user("carol", "pw-carol-3").grant("carol", "d", PUT, GET, DIR);
    try (PortalFs fs = f.session("carol", "pw-carol-3")) {
      kind(Kind.NOT_FOUND, () -> fs.write(p("/d/new/deeper/k.bin")));
      kind(Kind.DENIED, () -> fs.mkdir(p("/d/new")));
      try (FsUpload u = fs.writeWithParents(p("/d/new/deeper/k.bin"))) {
        u.write(ByteBuffer.wrap(bytes("nested")));
        u.commit();
      }
      assertThat(names(fs.list(p("/d/new")))).containsExactly("deeper/");
      assertThat(readAll(fs, "/d/new/deeper/k.bin")).isEqualTo(bytes("nested"));
      try (FsUpload u = fs.writeWithParents(p("/d/sub/deep/more/y.bin"))) { // below an existing directory
        u.write(ByteBuffer.wrap(bytes("y")));
        u.commit();
      }
      assertThat(readAll(fs, "/d/sub/deep/more/y.bin")).isEqualTo(bytes("y"));
      kind(Kind.NOT_DIRECTORY, () -> fs.writeWithParents(p("/d/a.txt/x/y.txt")));
      kind(Kind.NOT_FOUND, () -> fs.writeWithParents(p("/b/x/y.txt")));
      kind(Kind.DENIED, () -> fs.writeWithParents(p("/d")));
      kind(Kind.IS_DIRECTORY, () -> fs.writeWithParents(p("/d/sub")));
    }
  }

  // ------------------------------------------------------------------------------------ changes

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void deleteRemovesFilesOnly(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      fs.delete(p("/d/a.txt"));
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/d/a.txt")));
      kind(Kind.NOT_FOUND, () -> fs.delete(p("/d/a.txt")));
      kind(Kind.IS_DIRECTORY, () -> fs.delete(p("/d/sub")));
      kind(Kind.NOT_FOUND, () -> fs.delete(p("/b/bob.txt")));
      assertThat(names(fs.list(p("/d")))).containsExactly("sub/");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void mkdirAndRmdir(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      fs.mkdir(p("/d/empty"));
      assertThat(fs.stat(p("/d/empty")).directory()).isTrue();
      assertThat(names(fs.list(p("/d")))).containsExactly("a.txt", "empty/", "sub/");
      assertThat(fs.list(p("/d/empty"))).isEmpty();
      kind(Kind.EXISTS, () -> fs.mkdir(p("/d/empty")));
      kind(Kind.EXISTS, () -> fs.mkdir(p("/d/a.txt")));
      kind(Kind.EXISTS, () -> fs.mkdir(p("/d")));
      kind(Kind.NOT_DIRECTORY, () -> fs.mkdir(p("/d/a.txt/x")));
      kind(Kind.NOT_FOUND, () -> fs.mkdir(p("/d/none/x")));
      fs.mkdir(p("/d/empty/inner"));
      kind(Kind.NOT_EMPTY, () -> fs.rmdir(p("/d/empty")));
      kind(Kind.NOT_EMPTY, () -> fs.rmdir(p("/d/sub")));
      kind(Kind.NOT_DIRECTORY, () -> fs.rmdir(p("/d/a.txt")));
      kind(Kind.DENIED, () -> fs.rmdir(p("/d")));
      kind(Kind.NOT_FOUND, () -> fs.rmdir(p("/d/none")));
      fs.rmdir(p("/d/empty/inner"));
      fs.rmdir(p("/d/empty"));
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/d/empty")));
      upload(fs, "/d/made.txt", "x");
      fs.mkdir(p("/d/up"));
      upload(fs, "/d/up/in.txt", "in");
      assertThat(names(fs.list(p("/d/up")))).containsExactly("in.txt");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void renameFilesAndDirectories(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      fs.rename(p("/d/a.txt"), p("/d/sub/b.txt"));
      kind(Kind.NOT_FOUND, () -> fs.stat(p("/d/a.txt")));
      assertThat(readAll(fs, "/d/sub/b.txt")).isEqualTo(bytes("alpha"));
      fs.rename(p("/d/sub"), p("/d/moved"));
      assertThat(names(fs.list(p("/d")))).containsExactly("moved/");
      assertThat(readAll(fs, "/d/moved/deep/x.bin")).isEqualTo(bytes("xx"));
      upload(fs, "/d/other.txt", "other");
      fs.rename(p("/d/other.txt"), p("/d/moved/b.txt")); // replaces
      assertThat(readAll(fs, "/d/moved/b.txt")).isEqualTo(bytes("other"));
      kind(Kind.DENIED, () -> fs.rename(p("/d/moved/b.txt"), p("/ro/b.txt")));
      kind(Kind.DENIED, () -> fs.rename(p("/d"), p("/e")));
      kind(Kind.EXISTS, () -> fs.rename(p("/d/moved/b.txt"), p("/d/moved/deep")));
      kind(Kind.INVALID_NAME, () -> fs.rename(p("/d/moved"), p("/d/moved/deep/in")));
      kind(Kind.NOT_FOUND, () -> fs.rename(p("/d/nothing"), p("/d/x")));
      kind(Kind.NOT_FOUND, () -> fs.rename(p("/d/moved/b.txt"), p("/d/none/b.txt")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void modificationTimeIsAcceptedWithMtime(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      fs.setModified(p("/d/a.txt"), 1_600_000_000_000L);
      assertThat(fs.stat(p("/d/a.txt")).modifiedMillis()).isEqualTo(1_600_000_000_000L);
      kind(Kind.NOT_FOUND, () -> fs.setModified(p("/d/none"), 1));
    }
  }

  // --------------------------------------------------------------------------------- accounting

  @ParameterizedTest(name = "{0}")
  @MethodSource("portals")
  void aDownloadCountsOnceWhenEveryByteWentOut(Function<Object, PortalFixture> make) throws Exception {
    PortalFixture f = portal(make);
    try (PortalFs fs = f.session("alice", "pw-alice-1")) {
      try (FsReader r = fs.read(p("/d/a.txt"))) { // "alpha", read back to front
        ByteBuffer b = ByteBuffer.allocate(2);
        assertThat(r.read(b, 3)).isEqualTo(2);
        assertThat(r.read(b.clear(), 1)).isEqualTo(2);
        assertThat(r.read(b.clear(), 0)).isEqualTo(2);
        assertThat(r.read(b.clear(), 5)).isEqualTo(-1);
      }
      try (FsReader partial = fs.read(p("/ro/r.txt"))) {
        partial.read(ByteBuffer.allocate(4), 0);
      }
      try (FsReader unread = fs.read(p("/d/sub/deep/x.bin"))) {
        assertThat(unread.entry().size()).isEqualTo(2);
      }
      assertThat(new String(fs.read(p("/d/a.txt")).stream(1, 3).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("lph");
    }
    assertThat(f.downloads()).containsExactly("alice /d/a.txt");
  }
}
