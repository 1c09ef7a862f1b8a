package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.master.domain.WebUser;
import org.ecpds.master.security.Passwords;
import org.ecpds.master.service.TransferRates;
import org.ecpds.proto.AdminServiceGrpc;
import org.ecpds.proto.ConfigReply;
import org.ecpds.proto.CreateDestinationRequest;
import org.ecpds.proto.CreateHostRequest;
import org.ecpds.proto.CreateIncomingUserRequest;
import org.ecpds.proto.DestinationActionRequest;
import org.ecpds.proto.LoginRequest;
import org.ecpds.proto.TransferRatesRequest;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The monitor's admin RPCs through a real master: web user roles (a read-only user logs in but
 * every change is refused by the master, over gRPC and REST alike), the configuration RPCs' 4xx
 * answers, and the per-minute delivery rates read from the transfer history.
 */
class MonitorAdminTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void rolesConfigurationAndRates(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      ManagedChannel channel = InProcessChannelBuilder.forName(m.inProcessName).build();
      try {
        AdminServiceGrpc.AdminServiceBlockingStub admin = AdminServiceGrpc.newBlockingStub(channel)
            .withCallCredentials(ClusterAuth.callCredentials(m.node.clusterSecret()))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
        String adminToken = roles(m, admin);
        configuration(m, admin, adminToken);
        rates(m, admin);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /** @return an operator's session token */
  private static String roles(MasterHarness m, AdminServiceGrpc.AdminServiceBlockingStub admin) throws Exception {
    String viewerPassword = Passwords.generate();
    var created = m.call("POST", "web/user", Map.of("name", "viewer", "password", viewerPassword, "role", "read-only"));
    assertThat(created.code()).as(created.body().toString()).isEqualTo(200);
    assertThat(created.body().at("/user/role").asText()).isEqualTo(WebUser.READ_ONLY);
    assertThat(m.call("POST", "web/user", Map.of("name", "boss", "password", viewerPassword, "role", "root")).code())
        .isEqualTo(400);
    assertThat(m.call("POST", "web/user", Map.of("name", "boss", "password", "short", "role", "admin")).code())
        .isEqualTo(400);
    assertThat(m.call("POST", "web/user", Map.of("name", "viewer", "password", viewerPassword, "role", "admin"))
        .code()).isEqualTo(409);
    assertThat(m.call("POST", "web/user", Map.of("name", "boss", "password", viewerPassword, "role", "admin"),
        "viewer", viewerPassword).code()).as("a read-only user creates no users").isEqualTo(403);

    var viewerLogin = admin.login(LoginRequest.newBuilder().setUser("viewer").setPassword(viewerPassword).build());
    assertThat(viewerLogin.getOk()).isTrue();
    assertThat(viewerLogin.getReadOnly()).isTrue();
    var adminLogin = admin.login(LoginRequest.newBuilder().setUser("admin").setPassword(m.adminPassword).build());
    assertThat(adminLogin.getOk()).isTrue();
    assertThat(adminLogin.getReadOnly()).isFalse();

    m.call("POST", "destination", Map.of("name", "ROLES"));
    String before = m.call("GET", "destination/ROLES", null).body().at("/destination/state").asText();
    assertThat(viewerLogin.getSessionToken()).isNotEmpty().isNotEqualTo(adminLogin.getSessionToken());
    var hold = admin.destinationAction(DestinationActionRequest.newBuilder().setDestination("ROLES").setAction("hold")
        .setUser("viewer").setSessionToken(viewerLogin.getSessionToken()).build());
    assertThat(hold.getOk()).isFalse();
    assertThat(hold.getMessage()).isEqualTo("user viewer is read-only");
    // The viewer's token names the viewer whatever user name the request claims.
    var claimed = admin.destinationAction(DestinationActionRequest.newBuilder().setDestination("ROLES").setAction("hold")
        .setUser("admin").setSessionToken(viewerLogin.getSessionToken()).build());
    assertThat(claimed.getMessage()).isEqualTo("user viewer is read-only");
    // A user name without a token the master issued is nobody.
    for (String token : new String[] {"", "made-up"}) {
      var anonymous = admin.destinationAction(DestinationActionRequest.newBuilder().setDestination("ROLES")
          .setAction("hold").setUser("admin").setSessionToken(token).build());
      assertThat(anonymous.getOk()).isFalse();
      assertThat(anonymous.getMessage()).contains("log in again");
    }
    // A logged-out token is nobody too.
    String spare = admin.login(LoginRequest.newBuilder().setUser("admin").setPassword(m.adminPassword).build())
        .getSessionToken();
    admin.logout(org.ecpds.proto.LogoutRequest.newBuilder().setSessionToken(spare).build());
    assertThat(admin.destinationAction(DestinationActionRequest.newBuilder().setDestination("ROLES").setAction("hold")
        .setSessionToken(spare).build()).getMessage()).contains("log in again");
    ConfigReply create = admin.createDestination(CreateDestinationRequest.newBuilder().setUser("viewer")
        .setSessionToken(viewerLogin.getSessionToken()).setName("BYVIEWER").build());
    assertThat(create.getOk()).isFalse();
    assertThat(create.getHttpStatus()).isEqualTo(403);
    assertThat(m.call("GET", "destination/BYVIEWER", null).code()).isEqualTo(404);
    // REST agrees: the same user with Basic authentication may not change anything either.
    assertThat(m.call("POST", "destination", Map.of("name", "BYVIEWER"), "viewer", viewerPassword).code())
        .isEqualTo(403);
    assertThat(m.call("POST", "destination/ROLES/hold", null, "viewer", viewerPassword).code()).isEqualTo(403);
    assertThat(m.call("GET", "destination/ROLES", null).body().at("/destination/state").asText()).isEqualTo(before)
        .isNotEqualTo("HOLD");
    return adminLogin.getSessionToken();
  }

  private static void configuration(MasterHarness m, AdminServiceGrpc.AdminServiceBlockingStub admin, String token)
      throws Exception {
    assertThat(admin.createDestination(CreateDestinationRequest.newBuilder().setUser("admin").setSessionToken(token).setName("bad name")
        .build()).getHttpStatus()).isEqualTo(400);
    ConfigReply ok = admin.createDestination(CreateDestinationRequest.newBuilder().setUser("admin").setSessionToken(token).setName("CONF")
        .setComment("from the monitor").setMaxConnections(3).build());
    assertThat(ok.getOk()).as(ok.getMessage()).isTrue();
    assertThat(m.call("GET", "destination/CONF", null).body().at("/destination/maxConnections").asInt()).isEqualTo(3);
    assertThat(admin.createDestination(CreateDestinationRequest.newBuilder().setUser("admin").setSessionToken(token).setName("CONF")
        .build()).getHttpStatus()).isEqualTo(409);

    ConfigReply unknown = admin.createHost(CreateHostRequest.newBuilder().setUser("admin").setSessionToken(token).setName("h1")
        .setDestination("NOPE").setTransferMethod("test").setAddress("localhost").build());
    assertThat(unknown.getHttpStatus()).isEqualTo(404);
    assertThat(m.call("GET", "host/h1", null).code()).as("nothing half made").isEqualTo(404);
    assertThat(admin.createHost(CreateHostRequest.newBuilder().setUser("admin").setSessionToken(token).setName("h1").setDestination("CONF")
        .setTransferMethod("carrier-pigeon").setAddress("localhost").build()).getHttpStatus()).isEqualTo(400);
    assertThat(admin.createHost(CreateHostRequest.newBuilder().setUser("admin").setSessionToken(token).setName("h1").setDestination("CONF")
        .setTransferMethod("test").setAddress("localhost").build()).getOk()).isTrue();
    assertThat(m.call("GET", "destination/CONF", null).body().at("/destination/hosts/0/host").asText()).isEqualTo("h1");

    assertThat(admin.createIncomingUser(CreateIncomingUserRequest.newBuilder().setUser("admin").setSessionToken(token).setName("u1")
        .setDestination("CONF").build()).getHttpStatus()).as("no password").isEqualTo(400);
    assertThat(admin.createIncomingUser(CreateIncomingUserRequest.newBuilder().setUser("admin").setSessionToken(token).setName("u1")
        .setPassword(Passwords.generate()).setDestination("CONF").setCanPut(true).build()).getOk()).isTrue();
    var perms = m.call("GET", "incoming/user/u1/destination", null).body().get("destinations");
    assertThat(perms).hasSize(1);
    assertThat(perms.get(0).toString()).contains("CONF");
  }

  private static void rates(MasterHarness m, AdminServiceGrpc.AdminServiceBlockingStub admin) {
    long now = 1_800_000_000_000L; // a fixed instant, so bucket boundaries are known
    long minute = 60_000;
    long lastBucket = now - now % minute;
    var jdbi = m.node.database().jdbi();
    long dest = m.node.destinations().get("CONF").id();
    long other = m.node.destinations().get("ROLES").id();
    jdbi.useHandle(h -> {
      long t1 = transfer(h, dest, 1000);
      long t2 = transfer(h, dest, 500);
      long t3 = transfer(h, other, 7);
      history(h, t1, "DONE", lastBucket + 5);          // this minute
      history(h, t2, "DONE", lastBucket + 10);         // this minute
      history(h, t2, "DONE", lastBucket - minute + 1); // the minute before (requeued and sent again)
      history(h, t1, "FAIL", lastBucket + 1);          // not a delivery
      history(h, t1, "DONE", now - 2 * 3_600_000);     // outside the hour
      history(h, t3, "DONE", lastBucket + 1);          // another destination
    });
    List<TransferRates.Point> points = new TransferRates(m.node.database(), m.node.destinations())
        .of("CONF", now, 60, minute);
    assertThat(points).hasSize(60);
    assertThat(points.get(0).timeMs()).isEqualTo(lastBucket - 59 * minute);
    assertThat(points.get(59)).isEqualTo(new TransferRates.Point(lastBucket, 2, 1500));
    assertThat(points.get(58)).isEqualTo(new TransferRates.Point(lastBucket - minute, 1, 500));
    assertThat(points.subList(0, 58)).allSatisfy(p -> assertThat(p.files()).isZero());
    assertThatThrownBy(() -> new TransferRates(m.node.database(), m.node.destinations()).of("CONF", now, 0, minute))
        .isInstanceOf(IllegalArgumentException.class);

    // Through the RPC (the real clock): the window is there, and an unknown destination is not found.
    var reply = admin.transferRates(TransferRatesRequest.newBuilder().setDestination("CONF").build());
    assertThat(reply.getFound()).isTrue();
    assertThat(reply.getPointsCount()).isEqualTo(60);
    assertThat(reply.getBucketSeconds()).isEqualTo(60);
    assertThat(admin.transferRates(TransferRatesRequest.newBuilder().setDestination("NOPE").build()).getFound())
        .isFalse();
  }

  private static long transfer(org.jdbi.v3.core.Handle h, long destination, long size) {
    long file = h.createUpdate("INSERT INTO data_file (destination_id, source, target, size, created_ms, expiry_ms) "
        + "VALUES (:d, 's', 't', :size, 0, 9000000000000)").bind("d", destination).bind("size", size)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    return h.createUpdate("INSERT INTO data_transfer (data_file_id, destination_id, target, status, queue_ms, "
        + "expiry_ms) VALUES (:f, :d, 't', 'DONE', 0, 9000000000000)").bind("f", file).bind("d", destination)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  private static void history(org.jdbi.v3.core.Handle h, long transfer, String status, long time) {
    h.createUpdate("INSERT INTO transfer_history (transfer_id, status, time_ms) VALUES (:t, :s, :time)")
        .bind("t", transfer).bind("s", status).bind("time", time).execute();
  }
}
