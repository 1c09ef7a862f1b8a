package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.cli.Ecpds;
import org.ecpds.cli.ExitCodes;
import org.ecpds.common.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecpds -batch}: many files pushed by one process against a real standalone (H2). */
class CliBatchTest {
  @TempDir Path tmp;
  private Path cert;
  private int restPort;
  private String adminPassword;

  private Config config() {
    return TestConfig.empty().with("standalone.dataDir", tmp.resolve("data")).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1)
        .with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1)
        .with("monitor.port", 0).with("master.bcryptCost", 4);
  }

  @BeforeEach
  void paths() {
    cert = tmp.resolve("data/tls/cert.pem");
  }

  @Test
  void pushesEveryListedFileOnceWithItsTargetAndContent() throws Exception {
    try (Standalone sa = Standalone.start(config(), System.out)) {
      restPort = sa.master().restPort();
      adminPassword = sa.master().generatedAdminPassword();
      Rest admin = new Rest(restPort, cert, "admin", adminPassword);
      admin.call("POST", "destination", Map.of("name", "BATCH"));
      Map<String, String> shaByTarget = new HashMap<>();
      StringBuilder list = new StringBuilder("# forecast files\n\n");
      for (int i = 0; i < 40; i++) {
        Path f = tmp.resolve("in/f" + i + ".bin");
        Files.createDirectories(f.getParent());
        StandaloneEndToEndTest.writeRandom(f, 1024L * (i + 1), i);
        String target = i % 3 == 0 ? "renamed/r" + i + ".bin" : "f" + i + ".bin";
        shaByTarget.put(target, StandaloneEndToEndTest.sha256(f));
        list.append(f).append(i % 3 == 0 ? "\t" + target : "").append('\n');
      }
      Path listFile = Files.writeString(tmp.resolve("list.txt"), list);

      Run run = cli("", "-destination", "BATCH", "-batch", listFile.toString(), "-parallel", "6", "-priority", "30");
      assertThat(run.exit).as(run.err).isEqualTo(ExitCodes.OK);
      List<String> lines = run.out.lines().toList();
      assertThat(lines).hasSize(40);
      List<Long> ids = new ArrayList<>();
      for (String line : lines) {
        String[] idAndPath = line.split("\t");
        ids.add(Long.parseLong(idAndPath[0]));
        assertThat(idAndPath[1]).startsWith(tmp.resolve("in").toString());
      }
      assertThat(ids).doesNotHaveDuplicates();
      Map<String, String> stored = new HashMap<>();
      for (long id : ids) {
        JsonNode df = admin.call("GET", "datafile/" + id, null).get("datafile");
        assertThat(df.get("arrived").asBoolean()).isTrue();
        assertThat(df.get("priority").asInt()).isEqualTo(30);
        stored.put(df.get("target").asText(), df.get("sha256").asText());
      }
      assertThat(stored).isEqualTo(shaByTarget);

      // the list from standard input
      Path one = Files.writeString(tmp.resolve("stdin.bin"), "from a list on stdin");
      Run fromStdin = cli(one + "\n", "-destination", "BATCH", "-batch", "-");
      assertThat(fromStdin.exit).as(fromStdin.err).isEqualTo(ExitCodes.OK);
      assertThat(fromStdin.out.strip()).matches("\\d+\t" + java.util.regex.Pattern.quote(one.toString()));
      assertThat(admin.call("GET", "transfer?destination=BATCH&limit=1000", null).get("transfers")).hasSize(41);
    }
  }

  @Test
  void aBadListSendsNothingAndARefusalStopsTheRest() throws Exception {
    try (Standalone sa = Standalone.start(config(), System.out)) {
      restPort = sa.master().restPort();
      adminPassword = sa.master().generatedAdminPassword();
      Rest admin = new Rest(restPort, cert, "admin", adminPassword);
      admin.call("POST", "destination", Map.of("name", "BATCH"));
      Path good = Files.writeString(tmp.resolve("good.bin"), "good");
      Path list = Files.writeString(tmp.resolve("bad.txt"), good + "\n" + tmp.resolve("absent.bin") + "\n");

      Run missing = cli("", "-destination", "BATCH", "-batch", list.toString());
      assertThat(missing.exit).isEqualTo(ExitCodes.USAGE);
      assertThat(missing.err).contains("bad.txt:2").contains("absent.bin");
      assertThat(missing.out).isEmpty();
      assertThat(admin.call("GET", "transfer?destination=BATCH&limit=10", null).get("transfers")).isEmpty();

      Run withSource = cli("", "-destination", "BATCH", "-batch", list.toString(), "-source", good.toString());
      assertThat(withSource.exit).isEqualTo(ExitCodes.USAGE);
      Run tooParallel = cli("", "-destination", "BATCH", "-batch", list.toString(), "-parallel", "65");
      assertThat(tooParallel.exit).isEqualTo(ExitCodes.USAGE);

      // an unknown destination: the master refuses the first push; the others are not started
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 30; i++) many.append(Files.writeString(tmp.resolve("m" + i), "m" + i)).append('\n');
      Path manyList = Files.writeString(tmp.resolve("many.txt"), many);
      Run refused = cli("", "-destination", "NOWHERE", "-batch", manyList.toString(), "-parallel", "2");
      assertThat(refused.exit).isEqualTo(ExitCodes.REFUSED);
      assertThat(refused.out).isEmpty();
      assertThat(refused.err).containsPattern("files were not sent after the first failure");
    }
  }

  private record Run(int exit, String out, String err) {}

  private Run cli(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("-echost", "localhost", "-ecport", String.valueOf(restPort),
        "-cacert", cert.toString(), "-user", "admin", "-pass", adminPassword));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Ecpds.run(all.toArray(String[]::new), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        name -> null);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
