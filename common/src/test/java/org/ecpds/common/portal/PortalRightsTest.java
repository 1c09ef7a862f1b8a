package org.ecpds.common.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.ecpds.common.portal.PortalRights.Right;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PathRule;
import org.junit.jupiter.api.Test;

class PortalRightsTest {
  private static final DestinationAccess ALL = DestinationAccess.newBuilder().setDestination("D").setGet(true)
      .setPut(true).setDelete(true).setDir(true).setMkdir(true).setRmdir(true).setRename(true).setSize(true)
      .setMtime(true).build();

  @Test
  void aFlagWithoutRulesHoldsEverywhere() {
    for (Right r : Right.values()) {
      assertThat(PortalRights.allows(ALL, r, "any/path.bin")).as(r.wireName()).isTrue();
      assertThat(PortalRights.allows(DestinationAccess.newBuilder().setDestination("D").build(), r, "x"))
          .as("unset " + r.wireName()).isFalse();
    }
  }

  @Test
  void rulesRestrictOnlyTheirPermissionAndMatchTheWholePath() {
    DestinationAccess a = ALL.toBuilder()
        .addPathRules(PathRule.newBuilder().setPermission("put").setRegex("incoming/.*"))
        .addPathRules(PathRule.newBuilder().setPermission("PUT").setRegex("drop/[a-z]+\\.grib"))
        .build();
    assertThat(PortalRights.allows(a, Right.PUT, "incoming/a.bin")).isTrue();
    assertThat(PortalRights.allows(a, Right.PUT, "drop/abc.grib")).isTrue();
    // full match: a prefix or a substring is not enough
    assertThat(PortalRights.allows(a, Right.PUT, "x/incoming/a.bin")).isFalse();
    assertThat(PortalRights.allows(a, Right.PUT, "drop/abc.grib.tmp")).isFalse();
    assertThat(PortalRights.allows(a, Right.PUT, "a.bin")).isFalse();
    // other permissions are not restricted by put's rules
    assertThat(PortalRights.allows(a, Right.DELETE, "a.bin")).isTrue();
    assertThat(PortalRights.allows(a, Right.GET, "a.bin")).isTrue();
  }

  @Test
  void aRuleNeverGrantsWhatTheFlagRefuses() {
    DestinationAccess a = DestinationAccess.newBuilder().setDestination("D").setGet(true)
        .addPathRules(PathRule.newBuilder().setPermission("delete").setRegex(".*")).build();
    assertThat(PortalRights.allows(a, Right.DELETE, "a")).isFalse();
  }

  @Test
  void anInvalidRuleIsReportedAndMatchesNothing() {
    assertThat(PortalRights.problem("put", "([a-z")).get().asString().contains("invalid regex");
    assertThat(PortalRights.problem("chmod", ".*")).get().asString().contains("unknown permission");
    assertThat(PortalRights.problem("get", "")).isPresent();
    assertThat(PortalRights.problem("rename", "a/.*")).isEmpty();
    DestinationAccess a = ALL.toBuilder().addPathRules(PathRule.newBuilder().setPermission("get").setRegex("([a-z"))
        .build();
    assertThat(PortalRights.allows(a, Right.GET, "([a-z")).isFalse();
  }
}
