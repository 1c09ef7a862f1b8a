package org.ecpds.mover.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** RemotePaths over generated paths: clean is idempotent and leaves no '\', '//' or trailing '/'; parent+name rebuild the path. */
class RemotePathsPropertiesTest {

  @Property(tries = 2000)
  void cleanIsIdempotentAndClean(@ForAll("paths") String path) {
    String clean = RemotePaths.clean(path);
    assertThat(RemotePaths.clean(clean)).isEqualTo(clean);
    assertThat(clean).doesNotContain("\\").doesNotContain("//");
    if (clean.length() > 1) assertThat(clean).doesNotEndWith("/");
  }

  @Property(tries = 2000)
  void parentAndNameRebuildACleanPath(@ForAll("paths") String path) {
    String clean = RemotePaths.clean(path);
    if (clean.isEmpty() || clean.equals("/")) return; // no name to split off
    String name = RemotePaths.name(clean);
    assertThat(name).doesNotContain("/");
    assertThat(RemotePaths.join(RemotePaths.parent(clean), name)).isEqualTo(clean);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.strings().withChars("ab./\\ é").ofMaxLength(20);
  }
}
