package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonReplyTest {
  @Test
  void theServersMessageWinsAndALostBodyStillSaysWhatTheStatusMeans() throws Exception {
    assertThat(JsonReply.errorMessage(507, JsonReply.JSON.readTree("{\"status\":\"error\",\"message\":\"no room\"}"), "m"))
        .isEqualTo("no room");
    assertThat(JsonReply.errorMessage(507, null, "data mover m"))
        .isEqualTo("data mover m answered HTTP 507 (no room for the file on its volumes)");
    assertThat(JsonReply.errorMessage(503, null, "p")).contains("retry later");
    assertThat(JsonReply.errorMessage(418, null, "p")).isEqualTo("p answered HTTP 418");
  }
}
