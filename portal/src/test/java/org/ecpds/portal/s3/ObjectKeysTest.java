package org.ecpds.portal.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"abc", "my-bucket.data", "a1-b2.c3", "0bucket"})
  void s3BucketNamesThatFollowTheRules(String name) {
    assertThat(ObjectKeys.isS3BucketName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "DATA", "foo_bar", "-abc", "abc-", "a..b", "a.-b", "a-.b", "192.168.5.123", ".abc"})
  void s3BucketNamesThatBreakThem(String name) {
    assertThat(ObjectKeys.isS3BucketName(name)).isFalse();
  }

  @Test
  void keysAreBelowTheirBucket() throws Exception {
    assertThat(ObjectKeys.object("DATA", "a/b/c.txt").toString()).isEqualTo("/DATA/a/b/c.txt");
    assertThat(ObjectKeys.object("DATA", "dir/").toString()).isEqualTo("/DATA/dir");
    assertThat(ObjectKeys.object("DATA", "%2e%2e").toString()).as("percent signs are just characters once decoded").isEqualTo("/DATA/%2e%2e");
  }

  /** The raw paths as a client may send them, decoded as the handler does, then turned into keys. */
  @ParameterizedTest
  @ValueSource(strings = {"../OTHER/x", "%2e%2e/OTHER/x", "%2E%2E%2FOTHER%2Fx", "a/../../OTHER/x", "a/%2e%2e/%2e%2e/OTHER/x",
      "./x", "a//b", "/x", "a/./b", "..", "a%00b", "a\\b"})
  void keysThatCannotBeStoredAsTheyAreAreRefused(String raw) throws Exception {
    String key = SigV4.decode(raw);
    assertThatThrownBy(() -> ObjectKeys.object("DATA", key)).isInstanceOfSatisfying(S3Exception.class,
        e -> assertThat(e.code()).isEqualTo("InvalidArgument"));
  }

  @Test
  void bucketsAreSingleNames() {
    assertThatThrownBy(() -> ObjectKeys.bucket("..")).isInstanceOfSatisfying(S3Exception.class,
        e -> assertThat(e.code()).isEqualTo("InvalidBucketName"));
  }
}
