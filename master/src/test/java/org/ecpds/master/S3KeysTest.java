package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.S3CredentialsReply;
import org.ecpds.proto.S3CredentialsRequest;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * S3 access keys: made by the master, the secret shown once and kept encrypted, handed to portals by
 * access key id with the user's grants, refused for unknown keys, deleted keys and disabled users.
 */
class S3KeysTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void keysAreMadeShownOnceAndResolvedForPortals(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      ManagedChannel channel = InProcessChannelBuilder.forName(m.inProcessName).build();
      try {
        var portal = PortalServiceGrpc.newBlockingStub(channel)
            .withCallCredentials(ClusterAuth.callCredentials(m.node.clusterSecret()));
        assertThat(m.call("POST", "destination", Map.of("name", "S3D")).code()).isEqualTo(200);
        assertThat(m.call("POST", "incoming/user", Map.of("id", "s3u", "password", "secret-s3u")).code()).isEqualTo(200);
        assertThat(m.call("PUT", "incoming/user/s3u/destination/S3D", Map.of("put", true)).code()).isEqualTo(200);

        Reply made = m.call("POST", "incoming/user/s3u/s3key", null);
        assertThat(made.code()).isEqualTo(200);
        JsonNode key = made.body().get("key");
        String id = key.get("accessKeyId").asText();
        String secret = key.get("secretKey").asText();
        assertThat(id).matches("EC[A-Z2-7]{18}");
        assertThat(secret).hasSize(40);
        JsonNode listed = m.call("GET", "incoming/user/s3u/s3key", null).body().get("keys");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("accessKeyId").asText()).isEqualTo(id);
        assertThat(listed.get(0).has("secretKey")).as("the secret is shown once").isFalse();
        assertThat(m.call("POST", "incoming/user/nobody/s3key", null).code()).isEqualTo(404);

        S3CredentialsReply found = portal.s3Credentials(S3CredentialsRequest.newBuilder().setAccessKeyId(id).build());
        assertThat(found.getOk()).isTrue();
        assertThat(found.getUser()).isEqualTo("s3u");
        assertThat(found.getSecretKey()).isEqualTo(secret);
        assertThat(found.getDestinationsList()).singleElement()
            .satisfies(d -> assertThat(d.getDestination()).isEqualTo("S3D"))
            .satisfies(d -> assertThat(d.getPut()).isTrue());
        assertThat(portal.s3Credentials(S3CredentialsRequest.newBuilder().setAccessKeyId("ECNOTAKEY").build()).getOk())
            .isFalse();

        assertThat(m.call("PUT", "incoming/user/s3u", Map.of("enabled", false)).code()).isEqualTo(200);
        assertThat(portal.s3Credentials(S3CredentialsRequest.newBuilder().setAccessKeyId(id).build()).getOk())
            .as("a disabled user's key does not log in").isFalse();

        long keyId = listed.get(0).get("id").asLong();
        assertThat(m.call("DELETE", "incoming/user/s3u/s3key/" + keyId, null).code()).isEqualTo(200);
        assertThat(m.call("DELETE", "incoming/user/s3u/s3key/" + keyId, null).code()).isEqualTo(404);
        assertThat(m.call("DELETE", "incoming/user/s3u/s3key/x", null).code()).isEqualTo(400);
        assertThat(m.call("PUT", "incoming/user/s3u", Map.of("enabled", true)).code()).isEqualTo(200);
        assertThat(portal.s3Credentials(S3CredentialsRequest.newBuilder().setAccessKeyId(id).build()).getOk())
            .as("a deleted key does not log in").isFalse();
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
