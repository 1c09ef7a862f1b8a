package org.ecpds.portal.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class ObjectMetadataTest {

  @Test
  void userMetadataAndContentHeadersBecomeDataFileMetadata() throws S3Exception {
    HttpFields h = HttpFields.build().add("X-Amz-Meta-Color", "blue").add("x-amz-meta-mtime", "1700000000.5")
        .add("Content-Type", "text/plain").add("Content-Encoding", "aws-chunked, gzip").add("Host", "h")
        .add("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    assertThat(ObjectMetadata.fromRequest(h)).isEqualTo(Map.of("color", "blue", "http.content-type", "text/plain",
        "http.content-encoding", "gzip"));
    // only aws-chunked: no encoding is kept; other values are kept as sent
    assertThat(ObjectMetadata.fromRequest(HttpFields.build().add("Content-Encoding", "aws-chunked"))).isEmpty();
    assertThat(ObjectMetadata.fromRequest(HttpFields.build().add("Content-Encoding", "deflate,gzip")))
        .containsEntry("http.content-encoding", "deflate,gzip");
  }

  @Test
  void moreThanTwoKilobytesOfUserMetadataIsRefused() {
    HttpFields h = HttpFields.build().add("x-amz-meta-a", "x".repeat(1024)).add("x-amz-meta-b", "y".repeat(1023));
    assertThatThrownBy(() -> ObjectMetadata.fromRequest(h)).isInstanceOfSatisfying(S3Exception.class,
        e -> assertThat(e.code()).isEqualTo("MetadataTooLarge"));
  }

  @Test
  void headersCarryTheSameBytesBackAndSkipWhatTheyCannotCarry() throws S3Exception {
    String wire = new String("Grüße".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    Map<String, String> stored = ObjectMetadata.fromRequest(HttpFields.build().add("x-amz-meta-greeting", wire));
    assertThat(stored).containsEntry("greeting", "Grüße");
    Map<String, String> reply = ObjectMetadata.toHeaders(Map.of("greeting", "Grüße", "http.cache-control", "no-cache",
        "bad key", "v", "line", "a\r\nInjected: 1", "http.unknown", "v"));
    assertThat(reply).containsEntry("x-amz-meta-greeting", wire).containsEntry("Cache-Control", "no-cache")
        .containsEntry("x-amz-missing-meta", "3").hasSize(3);
  }
}
