package org.ecpds.portal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ecpds.portal.fs.FsException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real master's own refusals reach the portal with the right kind: the mover's local rule is
 * switched off (it allows everything), so every decision below is the master's, mapped from its gRPC
 * status.
 */
class MasterRefusalsTest {
  @TempDir Path tmp;

  private static void kind(Kind kind, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(FsException.class).extracting(e -> ((FsException) e).kind()).isEqualTo(kind);
  }

  @Test
  void theMasterRefusesWhatTheMoverDidNotCheck() throws Exception {
    try (RealMasterFixture f = new RealMasterFixture(tmp, (access, permission, path) -> true)) {
      f.user("alice", "pw-alice-1").grant("alice", "ro", FsPermission.GET, FsPermission.DIR)
          .grant("alice", "d").file("/ro/r.txt", "read only".getBytes(StandardCharsets.UTF_8))
          .file("/d/sub/x.txt", "x".getBytes(StandardCharsets.UTF_8));
      try (PortalFs fs = f.session("alice", "pw-alice-1")) {
        FsUpload u = fs.write(FsPath.parse("/ro/new.txt"));
        u.write(ByteBuffer.wrap(new byte[] {1}));
        kind(Kind.DENIED, u::commit);
        u.close();
        kind(Kind.DENIED, () -> fs.delete(FsPath.parse("/ro/r.txt")));
        kind(Kind.DENIED, () -> fs.mkdir(FsPath.parse("/ro/dir")));
        kind(Kind.DENIED, () -> fs.rename(FsPath.parse("/ro/r.txt"), FsPath.parse("/ro/s.txt")));
        assertThat(fs.list(FsPath.parse("/ro"))).extracting(FsEntry::name).containsExactly("r.txt");
      }
    }
  }
}
