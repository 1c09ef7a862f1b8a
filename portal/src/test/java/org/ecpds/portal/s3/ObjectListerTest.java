package org.ecpds.portal.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.portal.fs.PortalFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listings in S3's key order with prefix, delimiter, start-after and pages, over a destination's directories. */
class ObjectListerTest {
  private PortalFs fs;
  private FsPath bucket;

  @BeforeEach
  void tree() throws Exception {
    MemoryPortal p = new MemoryPortal().grant("u", "D").s3Key("u", "AK", "s");
    for (String k : List.of("a.txt", "a/b", "a/c/d", "a-b", "ab", "b", "z/y/x")) p.file("/D/" + k, new byte[] {1});
    fs = p.s3Session(p.s3Credentials("AK", new InetSocketAddress(0)), new InetSocketAddress(0));
    bucket = FsPath.parse("/D");
  }

  private List<String> keys(ObjectLister.Page page) {
    return page.contents().stream().map(ObjectLister.Item::key).toList();
  }

  @Test
  void keysComeInLexicographicOrder() throws Exception {
    // '-' < '.' < '/' : "a-b" and "a.txt" sort before everything below "a/"
    assertThat(keys(new ObjectLister(fs, "", null, null, 1000).list(bucket)))
        .containsExactly("a-b", "a.txt", "a/b", "a/c/d", "ab", "b", "z/y/x");
  }

  @Test
  void delimiterGroupsCommonPrefixes() throws Exception {
    ObjectLister.Page page = new ObjectLister(fs, "", "/", null, 1000).list(bucket);
    assertThat(keys(page)).containsExactly("a-b", "a.txt", "ab", "b");
    assertThat(page.commonPrefixes()).containsExactly("a/", "z/");
    ObjectLister.Page inA = new ObjectLister(fs, "a/", "/", null, 1000).list(bucket);
    assertThat(keys(inA)).containsExactly("a/b");
    assertThat(inA.commonPrefixes()).containsExactly("a/c/");
  }

  @Test
  void aDelimiterOtherThanSlash() throws Exception {
    ObjectLister.Page page = new ObjectLister(fs, "a", "b", null, 1000).list(bucket);
    assertThat(page.commonPrefixes()).containsExactly("a-b", "a/b", "ab");
    assertThat(keys(page)).containsExactly("a.txt", "a/c/d");
  }

  @Test
  void pagesFollowEachOtherWithoutGapOrRepeat() throws Exception {
    List<String> all = new ArrayList<>();
    String after = null;
    for (int i = 0; i < 20; i++) {
      ObjectLister.Page page = new ObjectLister(fs, "", "/", after, 2).list(bucket);
      all.addAll(keys(page));
      all.addAll(page.commonPrefixes());
      if (!page.truncated()) break;
      after = page.lastReturned();
    }
    assertThat(all).containsExactlyInAnyOrder("a-b", "a.txt", "ab", "b", "a/", "z/");
    assertThat(all).doesNotHaveDuplicates();
  }

  @Test
  void startAfterAndZeroMaxKeys() throws Exception {
    assertThat(keys(new ObjectLister(fs, "", null, "a/b", 1000).list(bucket))).containsExactly("a/c/d", "ab", "b", "z/y/x");
    ObjectLister.Page none = new ObjectLister(fs, "", null, null, 0).list(bucket);
    assertThat(none.contents()).isEmpty();
    assertThat(none.truncated()).isFalse();
  }
}
