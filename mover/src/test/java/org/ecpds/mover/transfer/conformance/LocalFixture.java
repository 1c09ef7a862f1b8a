package org.ecpds.mover.transfer.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.local.LocalModuleFactory;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.Processes;

/**
 * The local module on a temp directory. There is no server: "stopped" is the root directory
 * renamed away (a file system that is not mounted), which the module reports as NETWORK.
 */
final class LocalFixture implements ServerFixture {
  private final Path base;
  private final Path root;
  private final Path away;
  private final LocalModuleFactory factory = new LocalModuleFactory();

  LocalFixture() {
    try {
      base = Files.createTempDirectory("ecpds-local");
      root = Files.createDirectory(base.resolve("root"));
      away = base.resolve("root.unmounted");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public TransferModuleFactory factory() {
    return factory;
  }

  @Override
  public HostSpec host() {
    return HostSpec.newBuilder().setName("disk").setTransferMethod("local").setAddress("/nonexistent")
        .putOptions("local.root", root.toString()).putOptions("ectrans.connectTimeout", "5s").build();
  }

  /** A directory has no login: the wrong-password scenario does not apply. */
  @Override
  public boolean authenticates() {
    return false;
  }

  @Override
  public Path onDisk(String remotePath) {
    return root.resolve(remotePath);
  }

  @Override
  public void stop() {
    move(root, away);
  }

  @Override
  public void restart() {
    move(away, root);
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    factory.close();
    Processes.deleteTree(base);
  }
}
