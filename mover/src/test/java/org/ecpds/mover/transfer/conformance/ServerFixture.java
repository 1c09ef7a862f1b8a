package org.ecpds.mover.transfer.conformance;

import java.nio.file.Path;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.proto.HostSpec;

/**
 * A real server on loopback for one transfer module, started by the test harness in a temp dir on
 * a free port. The conformance suite runs the same scenarios against every fixture.
 */
public interface ServerFixture extends AutoCloseable {
  /** Display name, e.g. "ftp", "ftps-implicit", "sftp". */
  String name();

  /** The module under test (one factory per fixture, closed by the suite). */
  TransferModuleFactory factory();

  /**
   * How to reach the server with valid credentials. Options must set the generic
   * {@code ectrans.connectTimeout} to a few seconds so that "server stopped" fails fast.
   */
  HostSpec host();

  /** The same host with a wrong password. */
  default HostSpec wrongPassword() {
    return host().toBuilder().setPassword("not-the-password").build();
  }

  /**
   * Where a remote path (relative to the login directory, or to the bucket/prefix) is stored on
   * the server's disk, so that tests can seed and inspect files without going through the module.
   */
  Path onDisk(String remotePath);

  /** Stops the server process (connections drop, new ones are refused). */
  void stop();

  /** Starts it again on the same port with the same data. */
  void restart();

  /** Whether the module logs in at all (a local directory does not): guards "wrong password". */
  default boolean authenticates() {
    return true;
  }

  /**
   * Whether the protocol has directories and a rename (plain HTTP has neither: its mkdirs is a
   * no-op and its rename fails PROTOCOL "not supported"). Guards only the "rename and mkdirs"
   * scenario; puts into new directories are still tested ("nested directories created on demand").
   */
  default boolean canRenameAndMkdirs() {
    return true;
  }

  /**
   * Whether the server has real directories that mkdirs creates (S3 has none: keys are flat and
   * "a/b/" is only a listing prefix, so mkdirs there is a no-op and nothing appears on disk).
   */
  default boolean hasDirectories() {
    return true;
  }

  @Override
  void close();
}
