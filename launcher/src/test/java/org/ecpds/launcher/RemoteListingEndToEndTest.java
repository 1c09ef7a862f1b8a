package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.config.Config;
import org.ecpds.master.movers.RemoteListings;
import org.ecpds.master.movers.RemoteOperationException;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.RemoteEntry;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's RemoteListings through an in-process mover to a real sshd: a directory of a few
 * thousand files arrives as ordered pages, failures come back classified, and a remote delete
 * removes one file.
 */
class RemoteListingEndToEndTest {
  static final int FILES = 3000;
  @TempDir Path tmp;

  @Test
  void listingPagesAndRemoteDeleteThroughTheMover() throws Exception {
    try (OpenSshServer sshd = OpenSshServer.start();
        Standalone sa = Standalone.start(TestConfig.empty().with("standalone.dataDir", tmp.resolve("data"))
            .with("master.rest.port", 0).with("mover.upload.port", 0).with("portal.sftp.port", -1)
            .with("portal.https.port", -1).with("portal.s3.port", -1).with("portal.ftps.port", -1)
            .with("portal.ftps.implicitPort", -1).with("monitor.port", 0).with("master.bcryptCost", 4), System.out)) {
      Path big = Files.createDirectories(sshd.home().resolve("big/sub"));
      for (int i = 0; i < FILES; i++) Files.writeString(big.resolveSibling(String.format("f%05d", i)), "x".repeat(i % 3));
      Files.writeString(sshd.home().resolve("victim.txt"), "bye");
      Conditions.await("mover online", Duration.ofSeconds(30), () -> sa.master().movers().onlineId("mover-1").isPresent());
      HostSpec host = HostSpec.newBuilder().setTransferMethod("sftp").setAddress("127.0.0.1").setPort(sshd.port())
          .setLogin(sshd.user()).setPassword(sshd.password()).build();
      RemoteListings listings = sa.master().remoteListings();

      List<List<RemoteEntry>> pages = new CopyOnWriteArrayList<>();
      long count = listings.list("mover-1", host, "big", 400, pages::add).get(60, TimeUnit.SECONDS);
      assertThat(count).isEqualTo(FILES + 1);
      assertThat(pages).hasSize(8);
      assertThat(pages.subList(0, 7)).allSatisfy(p -> assertThat(p).hasSize(400));
      assertThat(pages.get(7)).hasSize(FILES + 1 - 7 * 400);
      Set<String> names = new HashSet<>();
      pages.forEach(p -> p.forEach(e -> names.add(e.getName())));
      assertThat(names).hasSize(FILES + 1).contains("f00000", "f02999", "sub");

      assertThatThrownBy(() -> listings.list("mover-1", host, "no/such/dir", 0, p -> { }).get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(RemoteOperationException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
      assertThatThrownBy(() -> listings.list("no-such-mover", host, "big", 0, p -> { }).get(60, TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(RemoteOperationException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK));

      // a consumer that gives up stops the listing; the next one runs normally
      assertThatThrownBy(() -> listings.list("mover-1", host, "big", 100, p -> {
        throw new IllegalStateException("enough");
      }).get(60, TimeUnit.SECONDS)).cause().isInstanceOf(IllegalStateException.class);

      listings.deleteRemote("mover-1", host, "victim.txt").get(60, TimeUnit.SECONDS);
      assertThat(sshd.home().resolve("victim.txt")).doesNotExist();
      assertThatThrownBy(() -> listings.deleteRemote("mover-1", host, "victim.txt").get(60, TimeUnit.SECONDS))
          .cause().isInstanceOfSatisfying(RemoteOperationException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
      Conditions.await("cancelled listing finished on the mover", Duration.ofSeconds(30),
          () -> sa.mover().mover().listings().runningCorrelationIds().isEmpty());
    }
  }
}
