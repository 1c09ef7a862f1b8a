package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.master.service.HostService;
import org.ecpds.proto.AuthenticateKeyRequest;
import org.ecpds.proto.AuthenticateReply;
import org.ecpds.proto.AuthenticateRequest;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.ListFilesReply;
import org.ecpds.proto.ListFilesRequest;
import org.ecpds.proto.PortalFile;
import org.ecpds.proto.PortalPathRequest;
import org.ecpds.proto.PortalRenameRequest;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.RegisterUploadRequest;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The portal's changes through PortalService on a real master: each RPC allowed and refused with
 * the status the portal side relies on, every change visible in the listing and in the transfers'
 * history, and public-key login.
 */
class PortalWritesTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  /** A master, a scripted mover "mover-a" and the portal's stub, for one test. */
  private static final class Setup implements AutoCloseable {
    final MasterHarness m;
    final ScriptedMover mover;
    final ManagedChannel channel;
    final PortalServiceGrpc.PortalServiceBlockingStub portal;

    Setup(TestDatabase db) throws Exception {
      m = new MasterHarness(db);
      mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10);
      channel = InProcessChannelBuilder.forName(m.inProcessName).directExecutor().build();
      portal = PortalServiceGrpc.newBlockingStub(channel)
          .withCallCredentials(ClusterAuth.callCredentials(m.node.clusterSecret()));
    }

    void ok(Reply r) {
      assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
    }

    void user(String name, String destination, Map<String, Object> grant) throws Exception {
      ok(m.call("POST", "incoming/user", Map.of("id", name, "password", "secret-" + name)));
      ok(m.call("PUT", "incoming/user/" + name + "/destination/" + destination, grant));
    }

    long upload(String user, String dest, String path, long size) throws Exception {
      long id = portal.registerUpload(RegisterUploadRequest.newBuilder().setUser(user).setDestination(dest)
          .setPath(path).setSize(size).setProtocol("sftp").setRemoteAddress("127.0.0.1").setMoverName("mover-a")
          .build()).getDataFileId();
      assertThat(mover.stored(id, size == -1 ? 7 : size).getOk()).isTrue();
      return id;
    }

    PortalPathRequest path(String user, String dest, String path) {
      return PortalPathRequest.newBuilder().setUser(user).setDestination(dest).setPath(path).setProtocol("sftp")
          .setRemoteAddress("127.0.0.1").build();
    }

    PortalRenameRequest rename(String user, String dest, String from, String to) {
      return PortalRenameRequest.newBuilder().setUser(user).setDestination(dest).setFrom(from).setTo(to)
          .setProtocol("ftp").build();
    }

    ListFilesReply list(String user, String dest) {
      return listAll(portal, ListFilesRequest.newBuilder().setUser(user).setDestination(dest).build());
    }

    List<String> names(String user, String dest) {
      return list(user, dest).getFilesList().stream().map(PortalFile::getName).toList();
    }

    PortalFile file(String user, String dest, String name) {
      return list(user, dest).getFilesList().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
    }

    JsonNode transfer(long id) throws Exception {
      return m.call("GET", "transfer/" + id, null).body().get("transfer");
    }

    List<JsonNode> history(long transferId) throws Exception {
      List<JsonNode> out = new ArrayList<>();
      transfer(transferId).get("history").forEach(out::add);
      return out;
    }

    List<JsonNode> transfersOf(long dataFileId) throws Exception {
      List<JsonNode> out = new ArrayList<>();
      m.call("GET", "datafile/" + dataFileId, null).body().at("/datafile/transfers").forEach(out::add);
      return out;
    }

    @Override
    public void close() {
      channel.shutdownNow();
      mover.close();
      m.close();
    }
  }

  private static void refused(ThrowingCallable call, Status.Code code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code));
  }

  private static final Map<String, Object> ALL = Map.of("get", true, "put", true, "delete", true, "dir", true,
      "mkdir", true, "rmdir", true, "rename", true);

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void loginCarriesEveryRightAndRuleAndKeysLogIn(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "D")));
      s.user("u", "D", Map.of("put", true, "rename", true, "mtime", false,
          "rules", List.of(Map.of("permission", "put", "regex", "in/.*"))));
      AuthenticateReply a = s.portal.authenticate(AuthenticateRequest.newBuilder().setUser("u")
          .setPassword("secret-u").setProtocol("sftp").build());
      assertThat(a.getOk()).isTrue();
      DestinationAccess d = a.getDestinations(0);
      assertThat(List.of(d.getGet(), d.getPut(), d.getDelete(), d.getDir(), d.getMkdir(), d.getRmdir(), d.getRename(),
          d.getSize(), d.getMtime())).containsExactly(true, true, false, true, false, false, true, true, false);
      assertThat(d.getPathRulesList()).singleElement().satisfies(r -> {
        assertThat(r.getPermission()).isEqualTo("put");
        assertThat(r.getRegex()).isEqualTo("in/.*");
      });

      var gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(256);
      String key = PublicKeyEntry.toString(gen.generateKeyPair().getPublic());
      String other = PublicKeyEntry.toString(gen.generateKeyPair().getPublic());
      AuthenticateKeyRequest.Builder login = AuthenticateKeyRequest.newBuilder().setUser("u").setProtocol("sftp");
      assertThat(s.portal.authenticateKey(login.setPublicKey(key).build()).getOk()).as("before the key is added").isFalse();
      s.ok(s.m.call("POST", "incoming/user/u/key", Map.of("key", key + " me@laptop")));
      AuthenticateReply byKey = s.portal.authenticateKey(login.setPublicKey(key).build());
      assertThat(byKey.getOk()).isTrue();
      assertThat(byKey.getDestinationsList()).containsExactly(d); // the same reply as the password login
      assertThat(s.portal.authenticateKey(login.setPublicKey(other).build()).getOk()).isFalse();
      assertThat(s.portal.authenticateKey(login.setPublicKey("ssh-ed25519 AAAAnot-a-key").build()).getOk()).isFalse();
      assertThat(s.portal.authenticateKey(login.setUser("nobody").setPublicKey(key).build()).getOk()).isFalse();
      s.ok(s.m.call("PUT", "incoming/user/u", Map.of("enabled", false)));
      assertThat(s.portal.authenticateKey(login.setUser("u").setPublicKey(key).build()).getOk())
          .as("a disabled user").isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyChangeIsReCheckedAgainstFlagsAndPathRules(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "D")));
      s.ok(s.m.call("POST", "destination", Map.of("name", "OTHER")));
      s.user("ro", "D", Map.of());
      s.ok(s.m.call("POST", "incoming/user", Map.of("id", "rw", "password", "secret-rw")));
      Map<String, Object> ruled = new java.util.HashMap<>(ALL);
      ruled.put("rules", List.of(Map.of("permission", "put", "regex", "in/[^/]+"),
          Map.of("permission", "delete", "regex", "in/.*"), Map.of("permission", "mkdir", "regex", "in(/.*)?")));
      s.ok(s.m.call("PUT", "incoming/user/rw/destination/D", ruled));

      // the read-only user may change nothing; nobody may touch a destination they have no grant on
      refused(() -> s.upload("ro", "D", "a.bin", 3), Status.Code.PERMISSION_DENIED);
      refused(() -> s.portal.makeDirectory(s.path("ro", "D", "x")), Status.Code.PERMISSION_DENIED);
      refused(() -> s.portal.removeDirectory(s.path("ro", "D", "x")), Status.Code.PERMISSION_DENIED);
      refused(() -> s.portal.rename(s.rename("ro", "D", "a", "b")), Status.Code.PERMISSION_DENIED);
      refused(() -> s.portal.deleteFile(s.path("ro", "D", "a")), Status.Code.PERMISSION_DENIED);
      refused(() -> s.upload("rw", "OTHER", "in/a.bin", 3), Status.Code.PERMISSION_DENIED);
      refused(() -> s.upload("nobody", "D", "in/a.bin", 3), Status.Code.PERMISSION_DENIED);

      // path rules: put only directly in in/, delete anywhere below in/, mkdir in/ and below
      refused(() -> s.upload("rw", "D", "a.bin", 3), Status.Code.PERMISSION_DENIED);
      refused(() -> s.upload("rw", "D", "in/sub/a.bin", 3), Status.Code.PERMISSION_DENIED);
      long f = s.upload("rw", "D", "in/a.bin", 3);
      assertThat(s.names("ro", "D")).containsExactly("in/a.bin");
      refused(() -> s.portal.makeDirectory(s.path("rw", "D", "out")), Status.Code.PERMISSION_DENIED);
      s.portal.makeDirectory(s.path("rw", "D", "in/sub"));

      // names: escapes and empty segments are invalid arguments, whatever the rights
      refused(() -> s.upload("rw", "D", "in/../x", 3), Status.Code.INVALID_ARGUMENT);
      refused(() -> s.portal.makeDirectory(s.path("rw", "D", "/abs")), Status.Code.INVALID_ARGUMENT);
      refused(() -> s.portal.rename(s.rename("rw", "D", "in/a.bin", "in//b")), Status.Code.INVALID_ARGUMENT);

      // an upload where a directory is, or below a file
      refused(() -> s.upload("rw", "D", "in/sub", 3), Status.Code.FAILED_PRECONDITION);
      Map<String, Object> put = new java.util.HashMap<>(ALL);
      s.ok(s.m.call("PUT", "incoming/user/rw/destination/D", put));
      refused(() -> s.upload("rw", "D", "in/a.bin/x", 3), Status.Code.FAILED_PRECONDITION);
      // a mover that is not linked cannot be given an upload
      refused(() -> s.portal.registerUpload(RegisterUploadRequest.newBuilder().setUser("rw").setDestination("D")
          .setPath("z").setSize(1).setMoverName("mover-x").build()), Status.Code.UNAVAILABLE);
      assertThat(s.transfersOf(f)).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void incomingEventFlagsAnUploadsTransfersForNotification(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "E", "properties", "incoming.event = \"yes\"")));
      s.ok(s.m.call("POST", "destination", Map.of("name", "F")));
      s.user("u", "E", ALL);
      s.ok(s.m.call("PUT", "incoming/user/u/destination/F", ALL));
      long flagged = s.upload("u", "E", "a.bin", 3);
      long plain = s.upload("u", "F", "b.bin", 3);
      assertThat(eventFlags(s, flagged)).as("file and transfer of an incoming.event destination").containsExactly(true, true);
      assertThat(eventFlags(s, plain)).containsExactly(false, false);
    }
  }

  /** The data file's event flag and its transfer's. */
  private static List<Boolean> eventFlags(Setup s, long fileId) {
    return s.m.node.database().jdbi().withHandle(h -> h.createQuery(
        "SELECT f.event AS fe, t.event AS te FROM data_file f JOIN data_transfer t ON t.data_file_id = f.id WHERE f.id = :id")
        .bind("id", fileId).map((rs, ctx) -> List.of(rs.getBoolean("fe"), rs.getBoolean("te"))).one());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void anUploadsMetadataIsTheDataFilesAndIsListedBack(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "D")));
      s.user("u", "D", ALL);
      Map<String, String> meta = Map.of("color", "blue", "http.content-type", "text/plain; charset=utf-8");
      long id = s.portal.registerUpload(RegisterUploadRequest.newBuilder().setUser("u").setDestination("D")
          .setPath("m.txt").setSize(4).setProtocol("s3").setRemoteAddress("127.0.0.1").setMoverName("mover-a")
          .putAllMetadata(meta).build()).getDataFileId();
      assertThat(s.mover.stored(id, 4).getOk()).isTrue();
      s.upload("u", "D", "plain.bin", 3);

      assertThat(s.file("u", "D", "m.txt").getMetadataMap()).isEqualTo(meta);
      assertThat(s.file("u", "D", "plain.bin").getMetadataMap()).isEmpty();
      // the same metadata as a push's: REST shows it
      assertThat(s.m.call("GET", "datafile/" + id, null).body().at("/datafile/metadata/color").asText())
          .isEqualTo("blue");
      // larger than the data file's metadata column: refused before anything is registered
      refused(() -> s.portal.registerUpload(RegisterUploadRequest.newBuilder().setUser("u").setDestination("D")
          .setPath("huge.txt").setSize(1).setProtocol("s3").setMoverName("mover-a")
          .putMetadata("big", "x".repeat(5000)).build()), Status.Code.INVALID_ARGUMENT);
      assertThat(s.names("u", "D")).containsExactlyInAnyOrder("m.txt", "plain.bin");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void destinationLimitsAreResourceExhausted(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "D", "maxFileSize", 5, "maxPending", 1)));
      s.m.node.hosts().create("h1", new HostService.Spec("dissemination", "sftp", "127.0.0.1", 22, "u", "p",
          "$destination", Map.of(), true));
      s.m.node.destinations().associate("D", "h1", 0);
      s.user("u", "D", ALL);
      refused(() -> s.upload("u", "D", "big.bin", 6), Status.Code.RESOURCE_EXHAUSTED);
      s.upload("u", "D", "one.bin", 5); // Queued: the one pending transfer Max Pending allows
      assertThat(s.mover.next().hasDisseminate()).isTrue(); // and sent
      refused(() -> s.upload("u", "D", "two.bin", 5), Status.Code.RESOURCE_EXHAUSTED);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aTemporaryUploadStaysStandByUntilRenamedToItsFinalName(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "D", "properties", "incoming.priority = \"7\"")));
      s.m.node.hosts().create("h1", new HostService.Spec("dissemination", "sftp", "127.0.0.1", 22, "u", "p",
          "$destination", Map.of(), true));
      s.m.node.destinations().associate("D", "h1", 0);
      s.user("u", "D", ALL);

      long tmp = s.upload("u", "D", "data/.part-a.grib", -1);
      long tmp2 = s.upload("u", "D", "data/b.grib.tmp", 4);
      long tid = s.transfersOf(tmp).get(0).get("id").asLong();
      assertThat(s.transfer(tid).get("status").asText()).isEqualTo("HOLD");
      assertThat(s.transfer(tid).get("priority").asInt()).isEqualTo(7); // incoming.priority
      assertThat(s.transfersOf(tmp2).get(0).get("status").asText()).isEqualTo("HOLD");
      assertThat(s.mover.poll(200)).as("nothing is sent while the name is temporary").isNull();

      s.portal.rename(s.rename("u", "D", "data/.part-a.grib", "data/a.grib"));
      var sent = s.mover.next();
      assertThat(sent.getDisseminate().getTargetPath()).endsWith("a.grib");
      assertThat(s.history(tid)).extracting(h -> h.get("comment").asText())
          .contains("renamed from data/.part-a.grib to data/a.grib by u over ftp")
          .anySatisfy(c -> assertThat(c).startsWith("released: renamed from data/.part-a.grib"));
      assertThat(s.transfer(tid).get("target").asText()).isEqualTo("data/a.grib");
      assertThat(s.names("u", "D")).contains("data/a.grib", "data/b.grib.tmp").doesNotContain("data/.part-a.grib");
      s.mover.ok(sent); // the destination sends one at a time

      // a rename that keeps a temporary name does not release
      s.portal.rename(s.rename("u", "D", "data/b.grib.tmp", "data/c.tmp"));
      assertThat(s.transfersOf(tmp2).get(0).get("status").asText()).isEqualTo("HOLD");

      // renamed before the mover reported it stored: the transfer is created under the final name, Queued
      long early = s.portal.registerUpload(RegisterUploadRequest.newBuilder().setUser("u").setDestination("D")
          .setPath("e.tmp").setSize(5).setProtocol("sftp").setMoverName("mover-a").build()).getDataFileId();
      s.portal.rename(s.rename("u", "D", "e.tmp", "e.grib"));
      assertThat(s.mover.stored(early, 5).getOk()).isTrue();
      assertThat(s.mover.next().getDisseminate().getDataFileId()).isEqualTo(early);
      assertThat(s.transfersOf(early)).singleElement().satisfies(t -> assertThat(t.get("target").asText())
          .isEqualTo("e.grib"));
      // deleted before it was stored: nothing is listed or sent once it arrives
      long gone = s.portal.registerUpload(RegisterUploadRequest.newBuilder().setUser("u").setDestination("D")
          .setPath("g.grib").setSize(5).setProtocol("sftp").setMoverName("mover-a").build()).getDataFileId();
      s.portal.deleteFile(s.path("u", "D", "g.grib"));
      s.mover.stored(gone, 5);
      assertThat(s.names("u", "D")).doesNotContain("g.grib");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void deleteHidesAndANewerUploadReplaces(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "B"))); // no host: a portal bucket, files StandBy
      s.user("u", "B", ALL);
      long first = s.upload("u", "B", "x.bin", 3);
      long second = s.upload("u", "B", "x.bin", 4);
      long firstTransfer = s.transfersOf(first).get(0).get("id").asLong();
      assertThat(s.file("u", "B", "x.bin").getDataFileId()).isEqualTo(second);
      assertThat(s.transfer(firstTransfer).get("status").asText()).isEqualTo("STOP");
      assertThat(s.history(firstTransfer)).last().satisfies(h -> assertThat(h.get("comment").asText())
          .isEqualTo("replaced by data file " + second + " uploaded over sftp"));

      refused(() -> s.portal.deleteFile(s.path("u", "B", "nothing.bin")), Status.Code.NOT_FOUND);
      s.portal.deleteFile(s.path("u", "B", "x.bin"));
      assertThat(s.names("u", "B")).doesNotContain("x.bin");
      long secondTransfer = s.transfersOf(second).get(0).get("id").asLong();
      assertThat(s.history(secondTransfer)).last().satisfies(h -> {
        assertThat(h.get("status").asText()).isEqualTo("STOP");
        assertThat(h.get("comment").asText()).isEqualTo("deleted by u over sftp");
        assertThat(h.get("user").asText()).isEqualTo("u");
      });
      refused(() -> s.portal.deleteFile(s.path("u", "B", "x.bin")), Status.Code.NOT_FOUND);

      // a delivered (Done) file is deleted too
      long done = s.upload("u", "B", "d.bin", 2);
      long doneTransfer = s.transfersOf(done).get(0).get("id").asLong();
      // the download report marks it Done
      s.portal.reportDownload(org.ecpds.proto.ReportDownloadRequest.newBuilder().setUser("u")
          .setTransferId(doneTransfer).setBytes(2).setProtocol("https").build());
      assertThat(s.transfer(doneTransfer).get("status").asText()).isEqualTo("DONE");
      s.portal.deleteFile(s.path("u", "B", "d.bin"));
      assertThat(s.transfer(doneTransfer).get("status").asText()).isEqualTo("STOP");
      assertThat(s.names("u", "B")).isEmpty();
    }
  }

  /**
   * A listing goes in pages of about 1 MiB, so that a destination of any size lists through gRPC's
   * 4 MiB message limit (300 files with 3,900 characters of metadata each: about 1.2 MB).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aLargeListingComesInPagesWithTheDirectoriesFirst(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "L")));
      s.user("u", "L", ALL);
      s.portal.makeDirectory(s.path("u", "L", "d"));
      String note = "n".repeat(3_900);
      for (int i = 0; i < 300; i++) {
        long id = s.m.node.dataFiles().register(org.ecpds.master.service.UserService.Principal.admin("admin"),
            new org.ecpds.master.service.DataFileService.Registration("L", "/src/f" + i, "f" + i, 50, "1d",
                Map.of("note", note), 10L, false, null, null, null)).dataFileId();
        assertThat(s.mover.stored(id, 10).getOk()).isTrue();
      }
      List<ListFilesReply> pages = new java.util.ArrayList<>();
      s.portal.listFiles(ListFilesRequest.newBuilder().setUser("u").setDestination("L").build())
          .forEachRemaining(pages::add);
      assertThat(pages).hasSizeGreaterThan(1);
      assertThat(pages).allSatisfy(p -> assertThat(p.getSerializedSize())
          .isLessThanOrEqualTo(org.ecpds.master.grpc.PortalGrpcService.PAGE_BYTES + 4_100));
      assertThat(pages.get(0).getDirectoriesList()).containsExactly("d");
      assertThat(pages.subList(1, pages.size())).allSatisfy(p -> assertThat(p.getDirectoriesList()).isEmpty());
      assertThat(pages.stream().flatMap(p -> p.getFilesList().stream()).map(PortalFile::getName).distinct().count())
          .isEqualTo(300);
      assertThat(s.list("u", "L").getFiles(0).getMetadataMap()).containsEntry("note", note);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void directoriesAreMadeListedRenamedAndRemovedWhenEmpty(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "B")));
      s.user("u", "B", ALL);
      s.portal.makeDirectory(s.path("u", "B", "empty"));
      s.portal.makeDirectory(s.path("u", "B", "full"));
      s.portal.makeDirectory(s.path("u", "B", "full/deeper"));
      refused(() -> s.portal.makeDirectory(s.path("u", "B", "empty")), Status.Code.ALREADY_EXISTS);
      long f = s.upload("u", "B", "full/f.bin", 3);
      refused(() -> s.portal.makeDirectory(s.path("u", "B", "full/f.bin")), Status.Code.ALREADY_EXISTS);
      refused(() -> s.portal.makeDirectory(s.path("u", "B", "full/f.bin/x")), Status.Code.FAILED_PRECONDITION);
      assertThat(s.list("u", "B").getDirectoriesList()).containsExactlyInAnyOrder("empty", "full", "full/deeper");

      refused(() -> s.portal.removeDirectory(s.path("u", "B", "full")), Status.Code.FAILED_PRECONDITION);
      refused(() -> s.portal.removeDirectory(s.path("u", "B", "full/f.bin")), Status.Code.FAILED_PRECONDITION);
      refused(() -> s.portal.removeDirectory(s.path("u", "B", "missing")), Status.Code.NOT_FOUND);
      s.portal.removeDirectory(s.path("u", "B", "empty"));
      assertThat(s.list("u", "B").getDirectoriesList()).containsExactlyInAnyOrder("full", "full/deeper");

      // renaming a directory moves every file and directory below it
      refused(() -> s.portal.rename(s.rename("u", "B", "full", "full/inside")), Status.Code.INVALID_ARGUMENT);
      refused(() -> s.portal.rename(s.rename("u", "B", "missing", "other")), Status.Code.NOT_FOUND);
      s.portal.makeDirectory(s.path("u", "B", "taken"));
      refused(() -> s.portal.rename(s.rename("u", "B", "full", "taken")), Status.Code.ALREADY_EXISTS);
      refused(() -> s.portal.rename(s.rename("u", "B", "full/f.bin", "taken")), Status.Code.ALREADY_EXISTS);
      s.portal.rename(s.rename("u", "B", "full", "moved"));
      assertThat(s.names("u", "B")).containsExactly("moved/f.bin");
      assertThat(s.list("u", "B").getDirectoriesList()).containsExactlyInAnyOrder("moved", "moved/deeper", "taken");
      long t = s.transfersOf(f).get(0).get("id").asLong();
      assertThat(s.history(t)).last().satisfies(h -> assertThat(h.get("comment").asText())
          .isEqualTo("renamed from full/f.bin to moved/f.bin (directory full renamed by u)"));

      // a file renamed onto another replaces it
      long g = s.upload("u", "B", "g.bin", 2);
      s.portal.rename(s.rename("u", "B", "g.bin", "moved/f.bin"));
      assertThat(s.names("u", "B")).containsExactly("moved/f.bin");
      assertThat(s.file("u", "B", "moved/f.bin").getDataFileId()).isEqualTo(g);
      assertThat(s.transfer(t).get("status").asText()).isEqualTo("STOP");

      // the moved directory is empty once its file is deleted and its subdirectory removed
      s.portal.deleteFile(s.path("u", "B", "moved/f.bin"));
      refused(() -> s.portal.removeDirectory(s.path("u", "B", "moved")), Status.Code.FAILED_PRECONDITION);
      s.portal.removeDirectory(s.path("u", "B", "moved/deeper"));
      s.portal.removeDirectory(s.path("u", "B", "moved"));
      assertThat(s.list("u", "B").getDirectoriesList()).containsExactly("taken");
    }
  }

  /** A listing's pages joined into one reply. */
  static ListFilesReply listAll(PortalServiceGrpc.PortalServiceBlockingStub portal, ListFilesRequest r) {
    ListFilesReply.Builder all = ListFilesReply.newBuilder();
    portal.listFiles(r).forEachRemaining(all::mergeFrom);
    return all.build();
  }
}
