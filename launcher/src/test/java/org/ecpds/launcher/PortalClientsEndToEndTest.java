package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's client matrix against the real standalone (H2, portal backed by the master): every client a
 * remote site would use runs the same script, one named test per step: log in and list, download a file
 * pushed by the CLI (SHA-256 compared, the StandBy transfer accounted DONE), upload + read back + delete,
 * a wrong password refused by the client's own failure within a bounded time, and escapes refused
 * ({@code ..} past the root, an absolute path outside the tree, a destination the user cannot see, and
 * for SFTP symbolic links). One standalone for the class ({@link PortalMatrix}), clients one after the
 * other; plain FTP is on (lftp ftp, rclone ftp), everything else is TLS. Each family of clients has its
 * script class ({@link SshClientScripts}, {@link LftpScripts}, {@link HttpsClientScripts},
 * {@link RcloneScripts}, {@link S3ClientScripts}, {@link CadaverScripts}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalClientsEndToEndTest {
  @TempDir static Path tmp;
  private PortalMatrix matrix;

  @BeforeAll
  void start() throws Exception {
    matrix = PortalMatrix.start(tmp);
  }

  @AfterAll
  void stop() throws Exception {
    if (matrix != null) matrix.close();
  }

  @TestFactory
  Stream<DynamicNode> everyClientRunsTheWholeScript() {
    SshClientScripts ssh = new SshClientScripts(matrix);
    LftpScripts lftp = new LftpScripts(matrix);
    HttpsClientScripts https = new HttpsClientScripts(matrix);
    RcloneScripts rclone = new RcloneScripts(matrix);
    S3ClientScripts s3 = new S3ClientScripts(matrix);
    return Stream.<DynamicNode>of(ssh.sftp(), ssh.scp(false), ssh.scp(true), lftp.lftp("sftp"), lftp.lftp("ftp"),
        lftp.lftp("ftps"), https.curl(), https.wget(), rclone.rclone("sftp", "sftp"), rclone.rclone("ftp", "ftp"),
        rclone.rclone("webdav", "webdav"), rclone.rclone("s3", "s3"), s3.aws(), s3.s3cmd(),
        new CadaverScripts(matrix).cadaver(),
        dynamicTest("afterwards: the hidden destination's file was never downloaded", () ->
            assertThat(matrix.hiddenTransferStatus()).isEqualTo("HOLD")));
  }
}
