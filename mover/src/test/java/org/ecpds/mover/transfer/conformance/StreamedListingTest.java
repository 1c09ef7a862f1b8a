package org.ecpds.mover.transfer.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.ftp.FtpModuleFactory;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.PureFtpdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streamed {@code list(dir, sink)} of SFTP (OpenSSH), FTP LIST (vsftpd) and FTP MLSD
 * (pure-ftpd) over a directory of a few thousand files: every entry once, with sizes, directories
 * and symbolic links, and a missing directory as NOT_FOUND.
 */
class StreamedListingTest {
  static final int FILES = 3000;
  static ServerFixture sftp;
  static ServerFixture vsftpd;
  static PureFtpdServer pure;

  @BeforeAll
  static void start() throws Exception {
    sftp = SshFixture.sftp();
    vsftpd = FtpFixture.plain().get();
    pure = PureFtpdServer.start();
    seed(sftp.onDisk("big"));
    seed(vsftpd.onDisk("big"));
    try (TransferModule m = pureModule()) {
      m.mkdirs("big"); // owned by pure-ftpd's user
    }
    seed(pure.root().resolve("big"));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {sftp, vsftpd, pure}) {
      try {
        if (c != null) c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  static void seed(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    for (int i = 0; i < FILES; i++) Files.writeString(dir.resolve(String.format("f%05d.dat", i)), "x".repeat(i % 10));
    Files.createSymbolicLink(dir.resolve("link"), Path.of("f00007.dat"));
  }

  static TransferModule pureModule() throws TransferException {
    TransferModule m = new FtpModuleFactory().create();
    m.connect(HostSpec.newBuilder().setTransferMethod("ftp").setAddress("127.0.0.1").setPort(pure.port())
        .setLogin(pure.user()).setPassword(pure.password()).build(), Map.of());
    return m;
  }

  static TransferModule connect(ServerFixture f) throws TransferException {
    TransferModule m = f.factory().create();
    m.connect(f.host(), Map.of());
    return m;
  }

  static void checkBig(TransferModule m, boolean symlinkKnown) throws Exception {
    List<RemoteFile> got = new ArrayList<>();
    m.list("big", got::add);
    Set<String> names = got.stream().map(RemoteFile::name).collect(Collectors.toSet());
    // pure-ftpd's MLSD leaves the symbolic link out
    assertThat(names).hasSize(got.size()).hasSize(FILES + (symlinkKnown ? 2 : 1)).contains("f00000.dat", "f02999.dat", "sub");
    assertThat(got).filteredOn(RemoteFile::directory).extracting(RemoteFile::name).containsExactly("sub");
    RemoteFile nine = got.stream().filter(e -> e.name().equals("f00009.dat")).findFirst().orElseThrow();
    assertThat(nine.size()).isEqualTo(9);
    assertThat(nine.modifiedMillis()).isPositive();
    if (symlinkKnown) {
      assertThat(got).filteredOn(RemoteFile::symlink).extracting(RemoteFile::name).containsExactly("link");
    }
    assertThatThrownBy(() -> m.list("no/such/dir", e -> { }))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
  }

  @Test
  void sftpStreamsEveryEntry() throws Exception {
    try (TransferModule m = connect(sftp)) {
      checkBig(m, true);
    }
  }

  @Test
  void ftpListStreamsEveryEntry() throws Exception {
    try (TransferModule m = connect(vsftpd)) {
      checkBig(m, true);
    }
  }

  @Test
  void ftpMlsdStreamsEveryEntry() throws Exception {
    try (TransferModule m = pureModule()) {
      checkBig(m, false);
    }
  }
}
