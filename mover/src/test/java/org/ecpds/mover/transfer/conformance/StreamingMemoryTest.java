package org.ecpds.mover.transfer.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's "streaming, never buffering": every conformance fixture moves 2 GiB each way in a JVM
 * limited to {@code -Xmx256m}. The fixtures' servers start inside that child JVM. One fixture per
 * module (the TLS variants share their module's streaming code). System properties:
 * {@code memtest.bytes} (default 2 GiB) and {@code memtest.fixtures} (default {@value #ONE_PER_MODULE}).
 */
class StreamingMemoryTest {
  static final String ONE_PER_MODULE = "sftp,scp,local,ftp,http,webdav,s3";

  @Test
  void twoGibibytesThroughEveryModuleUnder256MiBOfHeap() throws Exception {
    String bytes = System.getProperty("memtest.bytes", String.valueOf(2L << 30));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path")));
    cmd.add("-Dconformance.fixtures=" + System.getProperty("memtest.fixtures", ONE_PER_MODULE));
    String s3proxy = System.getProperty(org.ecpds.testkit.S3ProxyServer.JAR_PROPERTY);
    if (s3proxy != null) cmd.add("-D" + org.ecpds.testkit.S3ProxyServer.JAR_PROPERTY + "=" + s3proxy);
    cmd.addAll(List.of(StreamingMemoryMain.class.getName(), bytes));
    Path log = Files.createTempFile("ecpds-memtest", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean done = p.waitFor(30, TimeUnit.MINUTES);
      if (!done) p.destroyForcibly().waitFor();
      String out = Files.readString(log);
      // the per-fixture timings are part of the result: keep them in the test output
      out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("FAIL ") || l.startsWith("ALL ")).forEach(System.out::println);
      assertThat(done).as("child finished within 30 minutes").isTrue();
      assertThat(p.exitValue()).as("child exit status (3 = OutOfMemoryError); output:%n%s", out).isZero();
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
