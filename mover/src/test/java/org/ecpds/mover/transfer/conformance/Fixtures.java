package org.ecpds.mover.transfer.conformance;

import java.util.List;
import java.util.function.Supplier;

/** Every module's fixture; add a line here to put a module under the conformance suite. */
final class Fixtures {
  private Fixtures() {}

  static List<Supplier<ServerFixture>> all() {
    List<Supplier<ServerFixture>> all = List.of(SftpFixture::new,
        named("http", HttpFixture::new),
        named("https", HttpFixture::https),
        named("webdav", WebDavFixture::new));
    // -Dconformance.only=http,webdav runs a subset (while working on one module)
    String only = System.getProperty("conformance.only", "");
    if (only.isBlank()) return all;
    List<String> wanted = List.of(only.split(","));
    return all.stream().filter(s -> wanted.contains(s.toString())).toList();
  }

  /** A supplier whose toString() is the suite's display name (a method reference's is its caller's class). */
  static Supplier<ServerFixture> named(String name, Supplier<ServerFixture> s) {
    return new Supplier<>() {
      @Override
      public ServerFixture get() {
        return s.get();
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
