package org.ecpds.portal.vfs;

import org.ecpds.portal.fs.DeliveredRanges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PortalFile;
import org.junit.jupiter.api.Test;

/** The virtual tree without any protocol in front: path clamping, lookups, range tracking. */
class VirtualTreeTest {
  private final AtomicInteger downloads = new AtomicInteger();
  private final PortalBackend backend = new PortalBackend() {
    @Override
    public Optional<PortalUser> authenticate(String u, String p, String protocol, String remote) {
      return Optional.of(new PortalUser("u", List.of(DestinationAccess.newBuilder().setDestination("d").setGet(true).setDir(true)
          .build())));
    }

    @Override
    public List<PortalFile> listFiles(String user, String destination) {
      return List.of(file("a.txt", 10, 1), file("dir/b.txt", 3, 2), file("a.txt", 10, 3), file("../x", 1, 4),
          file("bad//name", 1, 5));
    }

    @Override
    public SeekableByteChannel openContent(PortalFile file) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void reportDownload(String user, PortalFile file, long bytes, String protocol, String remote) {
      downloads.incrementAndGet();
    }

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

  @Test
  void dotDotNeverLeavesTheRoot() {
    assertThat(fs.getPath("/../../..").normalize().toString()).isEqualTo("/");
    assertThat(fs.getPath("/d/../../d/./a.txt").normalize().toString()).isEqualTo("/d/a.txt");
    assertThat(fs.getPath("../../d//a.txt").toAbsolutePath().normalize().toString()).isEqualTo("/d/a.txt");
    assertThat(fs.getPath("/d").resolve("/etc/passwd").normalize().toString()).isEqualTo("/etc/passwd");
  }

  @Test
  void lookupsFollowGrantsAndListings() throws IOException {
    assertThat(Files.readAttributes(fs.getPath("/"), "basic:isDirectory")).containsEntry("isDirectory", true);
    assertThat(Files.size(fs.getPath("/d/a.txt"))).isEqualTo(10);
    assertThat(Files.isDirectory(fs.getPath("/d/dir"))).isTrue();
    assertThat(Files.exists(fs.getPath("/etc/passwd"))).isFalse();
    assertThat(Files.exists(fs.getPath("/d/x"))).isFalse();
    try (var entries = Files.newDirectoryStream(fs.getPath("/d"))) {
      assertThat(entries).extracting(Path::toString).containsExactly("/d/a.txt", "/d/dir");
    }
    assertThatThrownBy(() -> fs.getPath("/other").toRealPath()).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> Files.delete(fs.getPath("/d/a.txt"))).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> Files.newOutputStream(fs.getPath("/d/new"))).isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void rangesCountOnlyWhenContiguousFromZero() {
    DeliveredRanges t = new DeliveredRanges();
    t.add(20, 30);
    t.add(10, 20);
    assertThat(t.contiguous()).isZero();
    t.add(0, 10);
    assertThat(t.contiguous()).isEqualTo(30);
  }

  private static PortalFile file(String name, long size, long id) {
    return PortalFile.newBuilder().setName(name).setSize(size).setModifiedMillis(id).setTransferId(id)
        .setDataFileId(id).build();
  }
}
