package org.ecpds.portal.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.junit.jupiter.api.Test;

/** The pure parts: error kinds to statuses, URL paths to portal paths and back, Range parsing. */
class HttpMappingTest {
  @Test
  void everyErrorKindHasItsStatus() {
    assertThat(PortalHttpHandler.status(FsException.Kind.NOT_FOUND, "GET")).isEqualTo(404);
    assertThat(PortalHttpHandler.status(FsException.Kind.DENIED, "GET")).isEqualTo(403);
    assertThat(PortalHttpHandler.status(FsException.Kind.EXISTS, "MOVE")).isEqualTo(409);
    assertThat(PortalHttpHandler.status(FsException.Kind.NOT_EMPTY, "DELETE")).isEqualTo(409);
    assertThat(PortalHttpHandler.status(FsException.Kind.IS_DIRECTORY, "GET")).isEqualTo(409);
    assertThat(PortalHttpHandler.status(FsException.Kind.NOT_DIRECTORY, "PUT")).isEqualTo(409);
    assertThat(PortalHttpHandler.status(FsException.Kind.INVALID_NAME, "GET")).isEqualTo(400);
    assertThat(PortalHttpHandler.status(FsException.Kind.QUOTA_EXCEEDED, "PUT")).isEqualTo(507);
    assertThat(PortalHttpHandler.status(FsException.Kind.QUOTA_EXCEEDED, "GET")).isEqualTo(403);
    assertThat(PortalHttpHandler.status(FsException.Kind.UNAVAILABLE, "GET")).isEqualTo(503);
  }

  @Test
  void urlPathsDecodeSegmentBySegmentAndRefuseEncodedSeparatorsAndDots() throws Exception {
    assertThat(RequestPaths.fromUrlPath("/D/a%20b/%E2%82%AC.txt")).isEqualTo(FsPath.parse("/D/a b/€.txt"));
    assertThat(RequestPaths.fromUrlPath("/")).isEqualTo(FsPath.ROOT);
    for (String bad : List.of("/D/a%2Fb", "/D/%2e%2e/x", "/D/%2E", "/D/a%5Cb", "/D/%00", "/D/%zz", "/D/%C3")) {
      assertThatThrownBy(() -> RequestPaths.fromUrlPath(bad)).as(bad).isInstanceOf(HttpReply.class);
    }
    assertThatThrownBy(() -> RequestPaths.fromUrlPath("/D/../../x")).isInstanceOfSatisfying(FsException.class,
        e -> assertThat(e.kind()).isEqualTo(FsException.Kind.INVALID_NAME));
    FsPath odd = FsPath.parse("/D/a b/<&>\"'%#?.txt");
    assertThat(RequestPaths.fromUrlPath(RequestPaths.href(odd, false))).isEqualTo(odd);
    assertThat(RequestPaths.href(FsPath.parse("/D/x"), true)).isEqualTo("/D/x/");
  }

  @Test
  void rangesResolveAgainstTheSize() {
    assertThat(ByteRanges.parse("bytes=0-9", 100)).containsExactly(new ByteRanges.Range(0, 9));
    assertThat(ByteRanges.parse("bytes=90-", 100)).containsExactly(new ByteRanges.Range(90, 99));
    assertThat(ByteRanges.parse("bytes=-10", 100)).containsExactly(new ByteRanges.Range(90, 99));
    assertThat(ByteRanges.parse("bytes=-1000", 100)).containsExactly(new ByteRanges.Range(0, 99));
    assertThat(ByteRanges.parse("bytes=50-1000", 100)).containsExactly(new ByteRanges.Range(50, 99));
    assertThat(ByteRanges.parse("bytes=0-0,-1", 100)).containsExactly(new ByteRanges.Range(0, 0), new ByteRanges.Range(99, 99));
    assertThat(ByteRanges.parse("bytes=100-", 100)).isEmpty();
    assertThat(ByteRanges.parse("bytes=-0", 100)).isEmpty();
    assertThat(ByteRanges.parse("bytes=5-1", 100)).isNull();
    assertThat(ByteRanges.parse("items=0-1", 100)).isNull();
    assertThat(ByteRanges.parse("bytes=a-b", 100)).isNull();
    assertThat(ByteRanges.parse("bytes=" + "0-0,".repeat(100) + "0-0", 100)).isNull();
  }
}
