package org.ecpds.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormattingTest {
  @Test
  void escapesEverythingThatCouldBreakOutOfTextOrAttributes() {
    assertThat(Html.escape("<a href='x'>\"&\"</a>")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
    assertThat(new Html().raw("<td").attr("title", "\"><script>").raw(">").toString())
        .isEqualTo("<td title=\"&quot;&gt;&lt;script&gt;\">");
  }

  @Test
  void formatsForOperators() {
    assertThat(Format.bytes(512)).isEqualTo("512 B");
    assertThat(Format.bytes(50L << 30)).isEqualTo("50.0 GiB");
    assertThat(Format.time(0)).isEqualTo(Format.NONE);
    assertThat(Format.time(1_767_268_800_000L)).isEqualTo("2026-01-01 12:00:00");
    assertThat(Format.percent(50, 200)).isEqualTo(25);
    assertThat(Format.percent(300, 200)).isEqualTo(100);
    assertThat(Format.pathSegment("a b/ü")).isEqualTo("a%20b%2F%C3%BC");
  }

  @Test
  void actionFormsShowWhateverTheMasterOffersAsEscapedText() {
    Session session = new Session("id", "u", "token", java.time.Instant.EPOCH);
    Html h = new Html();
    ActionForms.destination(h, "a<b", "requeue-all", session, null);
    ActionForms.destination(h, "a<b", "x\"><script>", session, "WAIT");
    assertThat(h.toString()).contains("action=\"/destination/a%3Cb\"", ">Requeue all</button>",
        "name=\"destination-action\" value=\"x&quot;&gt;&lt;script&gt;\"", "name=\"status\" value=\"WAIT\"")
        .doesNotContain("<script>", "data-confirm");
    Html stop = new Html();
    ActionForms.destination(stop, "a<b", "stop", session, null);
    assertThat(stop.toString()).contains("data-confirm=\"Stop destination \u201ca&lt;b\u201d?\"");
  }

  @Test
  void statusBadgesUseOnlyProtocolCodesAsClasses() {
    assertThat(StatusCodes.cssClass("EXEC")).isEqualTo("st st-exec");
    assertThat(StatusCodes.cssClass("x y")).isEqualTo("st st-unknown");
    assertThat(StatusCodes.ALL).startsWith("INIT").endsWith("INTR").hasSize(11);
    assertThat(DestinationServlet.statusFilter("TRANSFER_STATUS_UNSPECIFIED")).isNull();
  }

  @Test
  void loginRedirectsStayOnThisSite() {
    assertThat(LoginServlet.safeNext("/destination/x?status=WAIT")).isEqualTo("/destination/x?status=WAIT");
    assertThat(LoginServlet.safeNext("//evil.example/")).isEqualTo("/");
    assertThat(LoginServlet.safeNext("/\\evil.example")).isEqualTo("/");
    assertThat(LoginServlet.safeNext("https://evil.example/")).isEqualTo("/");
    assertThat(LoginServlet.safeNext(null)).isEqualTo("/");
  }
}
