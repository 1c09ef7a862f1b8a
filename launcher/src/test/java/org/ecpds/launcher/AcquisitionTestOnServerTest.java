package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenECPDS's "Test on Server" against a real sshd: every rule's directory is listed by the mover
 * now, the decisions for its first entries come back (selection, stability, the registration it
 * would make), a directory that cannot be listed names its error, and nothing is registered.
 */
class AcquisitionTestOnServerTest {
  @TempDir Path tmp;

  @Test
  void listsEachRuleDirectoryThroughTheMoverAndRegistersNothing() throws Exception {
    try (OpenSshServer source = OpenSshServer.start()) {
      Path data = Files.createDirectories(source.home().resolve("data"));
      for (String name : new String[] {"a.grib2", "b.grib2", "notes.txt"}) {
        StandaloneEndToEndTest.writeRandom(data.resolve(name), 1000, name.hashCode());
      }
      Path dataDir = tmp.resolve("ecpds-data");
      Config config = TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
          .with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1)
          .with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1)
          .with("monitor.port", 0).with("master.bcryptCost", 4).with("scheduler.acquisition.enabled", false);
      try (Standalone sa = Standalone.start(config, System.out)) {
        Rest admin = new Rest(sa.master().restPort(), dataDir.resolve("tls/cert.pem"), "admin",
            sa.master().generatedAdminPassword());
        admin.call("POST", "destination", Map.of("name", "IN"));
        admin.call("POST", "host", Map.of("name", "ACQ", "type", "acquisition", "transferMethod", "sftp",
            "address", "127.0.0.1", "port", source.port(), "login", source.user(), "password", source.password(),
            "directory", "[target=obs/$name]" + data + "/{.*\\.grib2}\n" + data + "/missing/{.*}\n"));
        admin.call("PUT", "destination/IN/host/ACQ", Map.of("priority", 0));
        admin.awaitMoverOnline(sa.mover().mover().name());

        JsonNode rules = admin.call("POST", "host/ACQ/acquisition/test?destination=IN", Map.of()).get("rules");
        assertThat(rules.size()).isEqualTo(2);
        JsonNode first = rules.get(0);
        assertThat(first.get("listed").asLong()).isEqualTo(3);
        assertThat(first.get("truncated").asBoolean()).isFalse();
        assertThat(first.has("error")).isFalse();
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode e : first.get("entries")) byName.put(e.get("name").asText(), e);
        assertThat(byName).containsOnlyKeys("a.grib2", "b.grib2", "notes.txt");
        assertThat(byName.get("notes.txt").get("selection").asText()).isEqualTo("NAME");
        assertThat(byName.get("a.grib2").get("selection").asText()).isEqualTo("SELECTED");
        assertThat(byName.get("a.grib2").get("stability").asText()).isEqualTo("TAKE");
        assertThat(byName.get("a.grib2").at("/registration/target").asText()).isEqualTo("obs/a.grib2");
        assertThat(byName.get("a.grib2").at("/registration/size").asLong()).isEqualTo(1000);
        JsonNode second = rules.get(1);
        assertThat(second.get("listed").asLong()).isZero();
        assertThat(second.get("error").asText()).as("the missing directory is named, not hidden").isNotBlank();

        JsonNode capped = admin.call("POST", "host/ACQ/acquisition/test?destination=IN&max=1", Map.of()).get("rules");
        assertThat(capped.get(0).get("entries").size()).isEqualTo(1);
        assertThat(capped.get(0).get("truncated").asBoolean()).isTrue();

        assertThat(admin.call("GET", "datafile?destination=IN&limit=10", null).get("datafiles").size())
            .as("a test registers nothing").isZero();
      }
    }
  }
}
