package org.ecpds.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.ecpds.common.config.Config;
import org.ecpds.master.MasterNode;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.UserService.Principal;
import org.ecpds.mover.link.MasterChannels;
import org.ecpds.proto.Hello;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.PortalFile;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination whose listing is larger than gRPC's 4 MiB default message limit lists whole through
 * the portal's real link to the master (Netty, TLS): the master sends it in pages. Before the pages,
 * such a listing failed with RESOURCE_EXHAUSTED and the portal showed nothing.
 */
class LargeListingOverTlsTest {
  @TempDir Path dir;

  @Test
  void aListingBeyondTheMessageLimitArrivesWhole() throws Exception {
    TestDatabase db = TestDatabases.h2();
    MasterNode master = new MasterNode(Config.empty().with("master.dataDir", dir.resolve("master"))
        .with("master.db.url", db.jdbcUrl()).with("master.db.user", db.user()).with("master.db.password", db.password())
        .with("master.rest.port", 0).with("master.rest.host", "127.0.0.1").with("master.grpc.port", 0)
        .with("master.bcryptCost", 4)).start();
    ManagedChannel channel = MasterChannels.tls("127.0.0.1", master.grpcPort(), master.tls().certificatePem());
    try {
      master.destinations().create("BIG", null);
      master.users().createIncoming("u", "pw-" + UUID.randomUUID(), "");
      master.users().grant("u", "BIG", true, false, false, true);
      // the files arrive as a mover reports them
      long mover = master.movers().connect(Hello.newBuilder().setMoverName("m1").setMaxTransfers(1)
          .setUploadUrl("https://127.0.0.1:9").setUploadCertPem("pem").build(),
          new StreamObserver<MasterMessage>() {
            @Override
            public void onNext(MasterMessage m) { }

            @Override
            public void onError(Throwable t) { }

            @Override
            public void onCompleted() { }
          }).moverId();
      String note = "n".repeat(3_900);
      int files = 1_200; // about 4.8 MB of listing
      for (int i = 0; i < files; i++) {
        long id = master.dataFiles().register(Principal.admin("admin"), new DataFileService.Registration("BIG",
            "/src/f" + i, "f" + i, 50, "1d", Map.of("note", note), 10L, false, null, null, null)).dataFileId();
        master.dataFiles().stored(mover, id, 10, "00", "v0");
      }

      GrpcPortalBackend backend = new GrpcPortalBackend(channel, master.clusterSecret(), "m1",
          id -> { throw new NoSuchFileException("data file " + id); });
      PortalBackend.Listing listing = backend.listing("u", "BIG");
      assertThat(listing.files()).hasSize(files);
      assertThat(listing.files()).allSatisfy(f -> assertThat(f.getMetadataMap()).containsEntry("note", note));
      assertThat(listing.files().stream().mapToLong(PortalFile::getSerializedSize).sum())
          .as("the listing is beyond gRPC's 4 MiB message limit").isGreaterThan(4L << 20);
      backend.close(java.time.Duration.ofSeconds(5));
    } finally {
      channel.shutdownNow();
      master.close();
    }
  }
}
