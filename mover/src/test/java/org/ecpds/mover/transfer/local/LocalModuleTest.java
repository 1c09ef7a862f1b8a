package org.ecpds.mover.transfer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModuleTest {
  @TempDir Path tmp;

  private TransferModule connect(Path root) throws TransferException {
    TransferModule m = new LocalModuleFactory().create();
    HostSpec h = HostSpec.newBuilder().setTransferMethod("local").setAddress(root.toString()).build();
    m.connect(h, h.getOptionsMap()); // the host's address is the root when local.root is unset
    return m;
  }

  private static ErrorKind kind(Throwable e) {
    return ((TransferException) e).kind();
  }

  @Test
  void pathsNeverLeaveTheRoot() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("root"));
    Files.writeString(tmp.resolve("secret.txt"), "outside");
    Files.createSymbolicLink(root.resolve("link"), tmp);
    try (TransferModule m = connect(root)) {
      for (String bad : new String[] {"../secret.txt", "a/../../secret.txt", "link/secret.txt", "link/new.txt"}) {
        assertThatThrownBy(() -> m.size(bad)).as(bad).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.PERMISSION));
        assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[1]), 1, bad, ProgressListener.NONE))
            .as(bad).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.PERMISSION));
      }
      assertThat(tmp.resolve("new.txt")).doesNotExist();
      // an absolute path is taken inside the root, like a chroot
      m.put(new ByteArrayInputStream(new byte[4]), 4, "/abs/x.bin", ProgressListener.NONE);
      assertThat(root.resolve("abs/x.bin")).hasSize(4);
      assertThat(m.size("a/../abs/x.bin")).isEqualTo(4); // '..' that stays inside is fine
    }
  }

  @Test
  void missingRootIsNetworkAndOtherErrorsAreClassified() throws Exception {
    assertThatThrownBy(() -> connect(tmp.resolve("not-mounted")))
        .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NETWORK));
    try (TransferModule m = connect(tmp)) {
      assertThatThrownBy(() -> m.get("nope", 0)).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
      assertThatThrownBy(() -> m.delete("nope")).satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.NOT_FOUND));
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[2]), 3, "short.bin", ProgressListener.NONE))
          .satisfies(e -> assertThat(kind(e)).isEqualTo(ErrorKind.LOCAL));
      assertThat(tmp.resolve("short.bin")).doesNotExist();
      assertThat(tmp.resolve(".short.bin" + LocalModule.TMP_SUFFIX)).doesNotExist();
    }
  }
}
