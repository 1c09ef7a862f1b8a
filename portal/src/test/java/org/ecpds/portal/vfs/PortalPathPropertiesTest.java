package org.ecpds.portal.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PortalFile;

/**
 * Whatever path a client sends (absolute or relative, with '..', '.', '//', '\'), it names nothing
 * outside the user's tree: only the root, the granted destination and its listed, clean entries exist.
 */
class PortalPathPropertiesTest {
  // "/abs" is listed with a leading slash, which DestinationSnapshot tolerates: it is /d/abs
  private static final Set<String> VISIBLE = Set.of("/", "/d", "/d/a.txt", "/d/dir", "/d/dir/b.txt", "/d/abs");

  private final PortalBackend backend = new PortalBackend() {
    @Override
    public Optional<PortalUser> authenticate(String u, String p, String protocol, String remote) {
      return Optional.of(new PortalUser("u", List.of(DestinationAccess.newBuilder().setDestination("d").setGet(true).setDir(true)
          .build(), DestinationAccess.newBuilder().setDestination("hidden").build())));
    }

    @Override
    public List<PortalFile> listFiles(String user, String destination) {
      // "../x" and "bad//name" are names a listing may hold but the tree must never serve
      return List.of(file("a.txt"), file("dir/b.txt"), file("../x"), file("bad//name"), file("/abs"));
    }

    @Override
    public SeekableByteChannel openContent(PortalFile file) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void reportDownload(String user, PortalFile file, long bytes, String protocol, String remote) {}

    @Override
    public void reportPartialDownload(String user, PortalFile file, long bytes, String protocol, String remote) {}

    @Override
    public void denied(String user, String message, String protocol, String remote) {}
  };
  private final PortalFileSystem fs = new PortalFileSystemProvider().newFileSystem(login(backend));

  private static org.ecpds.portal.fs.PortalFs login(PortalBackend backend) {
    try {
      return new org.ecpds.portal.fs.MoverPortal(backend, null, null,
          new org.ecpds.common.auth.LoginGuard(org.ecpds.common.auth.LoginGuard.DEFAULTS, java.time.Clock.systemUTC()), "m",
          org.ecpds.portal.fs.MoverPortal.Settings.DEFAULTS).password("u", "pw", "test",
          new java.net.InetSocketAddress("127.0.0.1", 1));
    } catch (org.ecpds.portal.fs.LoginException e) {
      throw new IllegalStateException(e);
    }
  }

  @Property(tries = 3000)
  void noPathEscapesTheTree(@ForAll("clientPaths") String sent) {
    Path path;
    try {
      path = fs.getPath(sent);
    } catch (InvalidPathException refused) {
      return; // refused before any lookup
    }
    Path real = path.toAbsolutePath().normalize();
    assertThat(real.isAbsolute()).isTrue();
    assertThat(real.toString().split("/")).as(real.toString()).doesNotContain("..", ".");
    if (Files.exists(path)) assertThat(VISIBLE).as(sent + " -> " + real).contains(real.toString());
  }

  @Property(tries = 1000)
  void resolvingAgainstAnyDirectoryStaysInTheTree(@ForAll("clientPaths") String base, @ForAll("clientPaths") String sent) {
    try {
      Path real = fs.getPath("/" + base).resolve(sent).normalize();
      assertThat(real.toString()).startsWith("/");
      assertThat(real.toString().split("/")).doesNotContain("..", ".");
      if (Files.exists(real)) assertThat(VISIBLE).contains(real.toString());
    } catch (InvalidPathException refused) {
      // refused before any lookup
    }
  }

  @Provide
  Arbitrary<String> clientPaths() {
    Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.of("..", ".", "", "d", "hidden", "a.txt", "dir",
        "b.txt", "x", "bad", "name", "abs", "etc", "passwd", "...", "d\\..", "..\\.."),
        Arbitraries.strings().withChars("./\\ad").ofMaxLength(4));
    return Arbitraries.oneOf(
        segment.list().ofMaxSize(8).map(s -> String.join("/", s)),
        segment.list().ofMaxSize(8).map(s -> "/" + String.join("/", s)));
  }

  private static PortalFile file(String name) {
    return PortalFile.newBuilder().setName(name).setSize(1).setModifiedMillis(1).setTransferId(1).setDataFileId(1).build();
  }
}
