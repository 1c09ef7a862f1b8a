package org.ecpds.mover.transfer.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.PureFtpdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MLSD/MLST path against pure-ftpd (vsftpd, used by the conformance suite, has no MLSD). */
class FtpMlsdTest {
  static PureFtpdServer server;

  @BeforeAll
  static void start() {
    server = PureFtpdServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  static TransferModule connect(Map<String, String> options) throws Exception {
    TransferModule m = new FtpModuleFactory().create();
    m.connect(HostSpec.newBuilder().setTransferMethod("ftp").setAddress("127.0.0.1").setPort(server.port())
        .setLogin(server.user()).setPassword(server.password()).build(), options);
    return m;
  }

  @Test
  void listingThroughMlsdAndList() throws Exception {
    try (TransferModule m = connect(Map.of())) {
      m.mkdirs("m/many"); // owned by the server's user, so that it can write there too
    }
    Path dir = server.root().resolve("m/many");
    for (int i = 0; i < 1001; i++) Files.writeString(dir.resolve(String.format("f%04d.txt", i)), "x".repeat(i % 7));
    Files.createDirectories(dir.resolve("sub dir"));
    for (String useMlsd : List.of("yes", "no")) {
      try (TransferModule m = connect(Map.of("ftp.useMlsd", useMlsd))) {
        byte[] data = "named é ü".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        m.put(new ByteArrayInputStream(data), data.length, "m/many/a file é.bin", ProgressListener.NONE);
        List<RemoteFile> entries = m.list("m/many");
        assertThat(((FtpModule) m).mlsdInUse()).isEqualTo(useMlsd.equals("yes"));
        assertThat(entries).extracting(RemoteFile::name).as("useMlsd=" + useMlsd)
            .doesNotContain(".", "..").contains("f0000.txt", "f1000.txt", "a file é.bin", "sub dir");
        assertThat(entries.stream().filter(e -> !e.directory())).hasSize(1002);
        assertThat(entries.stream().filter(RemoteFile::directory)).extracting(RemoteFile::name).containsExactly("sub dir");
        RemoteFile six = entries.stream().filter(e -> e.name().equals("f0006.txt")).findFirst().orElseThrow();
        assertThat(six.size()).isEqualTo(6);
        assertThat(six.modifiedMillis()).isGreaterThan(System.currentTimeMillis() - 3_600_000);
        assertThat(m.size("m/many/a file é.bin")).isEqualTo(data.length);
        assertThat(m.size("m/many/nothing")).isEqualTo(-1);
        try (InputStream in = m.get("m/many/a file é.bin", 6)) {
          assertThat(in.readAllBytes()).hasSize(data.length - 6);
        }
        m.delete("m/many/a file é.bin");
        FtpModuleTest.assertKind(() -> m.delete("m/many/a file é.bin"), ErrorKind.NOT_FOUND);
        FtpModuleTest.assertKind(() -> m.list("m/none"), ErrorKind.NOT_FOUND);
      }
    }
  }

  @Test
  void nestedPutAndRename() throws Exception {
    try (TransferModule m = connect(Map.of())) {
      m.put(new ByteArrayInputStream(new byte[1234]), 1234, "n/a/b/c.bin", ProgressListener.NONE);
      m.put(new ByteArrayInputStream(new byte[99]), 99, "n/a/b/c.bin", ProgressListener.NONE); // overwrite
      m.rename("n/a/b/c.bin", "n/a/d.bin");
    }
    assertThat(server.root().resolve("n/a/d.bin")).hasSize(99);
    assertThat(server.root().resolve("n/a/b/c.bin")).doesNotExist();
  }
}
