package org.ecpds.mover.transfer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ecpds.testkit.NginxServer;
import org.junit.jupiter.api.Test;

/** 2 GiB up (webdav, chunked) and down (http) in a child JVM limited to -Xmx256m: nothing is buffered whole. */
class StreamingMemoryTest {
  @Test
  void twoGibUnderSmallHeap() throws Exception {
    long size = 2L << 30;
    try (NginxServer nginx = NginxServer.start()) {
      Path out = Files.createTempFile("ecpds-big", ".out");
      Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), BigTransferMain.class.getName(),
          String.valueOf(nginx.port()), nginx.user(), nginx.password(), String.valueOf(size)))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      boolean done = p.waitFor(180, TimeUnit.SECONDS);
      if (!done) p.destroyForcibly();
      String text = Files.readString(out);
      Files.deleteIfExists(out);
      assertThat(done).as(text).isTrue();
      assertThat(p.exitValue()).as(text).isZero();
      String line = text.lines().filter(l -> l.startsWith("sent=")).findFirst().orElseThrow(() -> new AssertionError(text));
      String sent = line.replaceAll(".*sent=(\\w+).*", "$1");
      assertThat(line).contains("got=" + sent).contains("maxHeapMiB=");
      assertThat(Files.size(nginx.root().resolve("big/2g.bin"))).isEqualTo(size);
    }
  }
}
