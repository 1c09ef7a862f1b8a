package org.ecpds.mover.transfer.conformance;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every module's fixture; add a line here to put a module under the conformance suite. */
final class Fixtures {
  private Fixtures() {}

  /** Every fixture, or those named in the system property {@code conformance.fixtures} (a,b,...). */
  static List<Supplier<ServerFixture>> all() {
    Map<String, Supplier<ServerFixture>> all = new LinkedHashMap<>();
    all.put("sftp", SftpFixture::new);
    all.put("scp", ScpFixture::new);
    all.put("local", LocalFixture::new);
    all.put("ftp", FtpFixture.plain());
    all.put("ftps", FtpFixture.explicit());
    all.put("ftps-implicit", FtpFixture.implicit());
    String only = System.getProperty("conformance.fixtures", "").trim();
    if (only.isEmpty()) return List.copyOf(all.values());
    return Arrays.stream(only.split(",")).map(String::trim).filter(all::containsKey).map(all::get).toList();
  }
}
