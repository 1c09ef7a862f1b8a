package org.ecpds.portal.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.testkit.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MultipartStoreTest {
  private final Path dir;

  MultipartStoreTest() throws Exception {
    dir = Files.createTempDirectory("ecpds-s3-parts-");
  }

  @AfterEach
  void clean() {
    Processes.deleteTree(dir);
  }

  @Test
  void thePartsOfAllUploadsAreBounded() throws Exception {
    try (MultipartStore store = new MultipartStore(dir, 10, Clock.systemUTC())) {
      MultipartStore.Upload u = store.create("u", "D", "k", FsPath.parse("/D/k"));
      store.putPart(u, 1, new ByteArrayInputStream(new byte[6]), () -> "m1");
      assertThatThrownBy(() -> store.putPart(u, 2, new ByteArrayInputStream(new byte[5]), () -> "m2"))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("EntityTooLarge"));
      assertThat(store.heldBytes()).isEqualTo(6);
      store.putPart(u, 1, new ByteArrayInputStream(new byte[2]), () -> "m1b"); // a part sent again replaces the first
      assertThat(store.heldBytes()).isEqualTo(2);
      store.remove(u);
      assertThat(store.heldBytes()).isZero();
      try (var s = Files.list(dir.resolve("s3-multipart"))) {
        assertThat(s.toList()).isEmpty();
      }
    }
  }

  @Test
  void anUploadBelongsToItsUserBucketAndKey() throws Exception {
    try (MultipartStore store = new MultipartStore(dir, 10, Clock.systemUTC())) {
      MultipartStore.Upload u = store.create("u", "D", "k", FsPath.parse("/D/k"));
      assertThat(store.get(u.id, "u", "D", "k")).isSameAs(u);
      for (String[] other : new String[][] {{"v", "D", "k"}, {"u", "E", "k"}, {"u", "D", "j"}}) {
        assertThatThrownBy(() -> store.get(u.id, other[0], other[1], other[2]))
            .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("NoSuchUpload"));
      }
    }
  }
}
