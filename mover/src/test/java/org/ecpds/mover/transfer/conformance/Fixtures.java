package org.ecpds.mover.transfer.conformance;

import java.util.List;
import java.util.function.Supplier;

/** Every module's fixture; add a line here to put a module under the conformance suite. */
final class Fixtures {
  private Fixtures() {}

  static List<Supplier<ServerFixture>> all() {
    return List.of(SftpFixture::new, S3Fixture::new);
  }
}
