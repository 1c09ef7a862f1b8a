package org.ecpds.mover.transfer.conformance;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every module's fixture; add a line here to put a module under the conformance suite. */
final class Fixtures {
  private Fixtures() {}

  /**
   * Every fixture, or those named in the system property {@code conformance.fixtures} (a,b,...;
   * {@code conformance.only} is accepted too), to work on one module.
   */
  static List<Supplier<ServerFixture>> all() {
    Map<String, Supplier<ServerFixture>> all = new LinkedHashMap<>();
    all.put("sftp", SshFixture::sftp);
    all.put("scp", SshFixture::scp);
    all.put("local", LocalFixture::new);
    all.put("ftp", FtpFixture.plain());
    all.put("ftps", FtpFixture.explicit());
    all.put("ftps-implicit", FtpFixture.implicit());
    all.put("http", HttpFixture::new);
    all.put("https", HttpFixture::https);
    all.put("webdav", WebDavFixture::new);
    all.put("s3", S3Fixture::new);
    String only = System.getProperty("conformance.fixtures", System.getProperty("conformance.only", "")).trim();
    List<String> names = only.isEmpty() ? List.copyOf(all.keySet())
        : Arrays.stream(only.split(",")).map(String::trim).filter(all::containsKey).toList();
    return names.stream().map(n -> named(n, all.get(n))).toList();
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
