package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option parsing and local validation: nothing here reaches the network. */
class OptionsTest {
  private static final Io NO_IO = new Io(new ByteArrayInputStream(new byte[0]), System.out, System.err,
      name -> null, prompt -> null);

  @TempDir Path dir;

  private static Ecpds parse(String... args) {
    Ecpds cmd = new Ecpds(NO_IO);
    new CommandLine(cmd, new CommandFactory()).parseArgs(args);
    return cmd;
  }

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void singleAndDoubleDashFormsAreTheSame() throws Exception {
    String f = file("a.grib", "hello").toString();
    Ecpds single = parse("-destination", "FOO", "-source", f, "-target", "x/b.grib", "-priority", "5",
        "-lifetime", "3h", "-metadata", "a=1,b=2", "-standby", "-echost", "h", "-ecport", "1234", "-user", "u",
        "-pass", "p", "-connectTimeoutSec", "7");
    Ecpds gnu = parse("--destination=FOO", "--source", f, "--target", "x/b.grib", "--priority=5",
        "--lifetime", "3h", "--metadata", "a=1,b=2", "--standby", "--echost", "h", "--ecport", "1234", "--user", "u",
        "--pass", "p", "--connectTimeoutSec", "7");
    PushOptions.Push a = single.push.validate(NO_IO);
    assertThat(a.registration()).isEqualTo(gnu.push.validate(NO_IO).registration());
    assertThat(a.registration()).isEqualTo(new Registration("FOO", f, "x/b.grib", 5, "3h",
        Map.of("a", "1", "b", "2"), 5L, true, null, null, null, null));
    assertThat(single.connection.endpoint()).isEqualTo(gnu.connection.endpoint()).isEqualTo(new Endpoint("h", 1234));
    assertThat(single.connection.credentials(NO_IO)).isEqualTo(gnu.connection.credentials(NO_IO));
    assertThat(single.connection.connectTimeout()).isEqualTo(gnu.connection.connectTimeout()).hasSeconds(7);
  }

  @Test
  void scheduleOptions() throws Exception {
    String f = file("s.grib", "x").toString();
    Registration r = parse("-destination", "FOO", "-source", f, "-asap", "-delay", "2h", "-at", "20261204103000")
        .push.validate(NO_IO).registration();
    assertThat(r.asap()).isTrue();
    assertThat(r.delay()).isEqualTo("2h");
    assertThat(r.at()).isEqualTo(java.time.Instant.parse("2026-12-04T10:30:00Z").toEpochMilli());
    Registration custom = parse("-destination", "FOO", "-source", f, "-at", "2026-12-04 10:30", "-format",
        "yyyy-MM-dd HH:mm").push.validate(NO_IO).registration();
    assertThat(custom.at()).isEqualTo(r.at());
    assertThatThrownBy(() -> parse("-destination", "FOO", "-source", f, "-at", "tomorrow").push.validate(NO_IO))
        .isInstanceOf(CliException.class).hasMessageContaining("invalid -at");
  }

  @Test
  void defaults() throws Exception {
    Path f = file("data.bin", "12345678");
    Ecpds cmd = parse("-destination", "FOO", "-source", f.toString());
    Registration r = cmd.push.validate(NO_IO).registration();
    assertThat(r.target()).isEqualTo("data.bin");
    assertThat(r.priority()).isEqualTo(99);
    assertThat(r.lifetime()).isEqualTo("2d");
    assertThat(r.size()).isEqualTo(8L);
    assertThat(r.metadata()).isNull();
    assertThat(r.standby()).isNull();
    assertThat(cmd.connection.endpoint()).isEqualTo(new Endpoint("localhost", 2640));
    assertThat(cmd.connection.connectTimeout()).hasSeconds(30);
  }

  @Test
  void credentialsComeFromTheEnvironmentWhenNotGiven() throws Exception {
    Io env = new Io(NO_IO.in(), System.out, System.err, Map.of("ECPDS_USER", "eve", "ECPDS_PASS", "secret")::get,
        prompt -> null);
    assertThat(parse().connection.credentials(env)).isEqualTo(new Credentials("eve", "secret"));
    assertThat(parse("-user", "bob").connection.credentials(env)).isEqualTo(new Credentials("bob", "secret"));
    Io prompt = new Io(NO_IO.in(), System.out, System.err, name -> null, text -> "typed".toCharArray());
    assertThat(parse("-user", "bob").connection.credentials(prompt).password()).isEqualTo("typed");
  }

  @Test
  void metadataMayBeRepeated() throws Exception {
    Path f = file("m", "x");
    Registration r = parse("-destination", "D", "-source", f.toString(), "-metadata", "a=1,b=x=y",
        "--metadata", "c=").push.validate(NO_IO).registration();
    assertThat(r.metadata()).containsExactly(Map.entry("a", "1"), Map.entry("b", "x=y"), Map.entry("c", ""));
  }

  @Test
  void invalidPriorityIsAUsageError() throws Exception {
    String f = file("p", "x").toString();
    assertUsage(CliRun.of("-destination", "D", "-source", f, "-priority", "100"), "invalid -priority 100 (0-99)");
    assertUsage(CliRun.of("-destination", "D", "-source", f, "-priority", "-1"), "invalid -priority -1");
    assertUsage(CliRun.of("-destination", "D", "-source", f, "--priority", "high"), "'high' is not an int");
  }

  @Test
  void invalidLifetimeIsAUsageError() throws Exception {
    String f = file("l", "x").toString();
    for (String bad : new String[] {"2x", "0d", "", "d2", "500ms", "99999999999999999999d"}) {
      assertUsage(CliRun.of("-destination", "D", "-source", f, "-lifetime", bad), "invalid -lifetime");
    }
    assertThat(PushOptions.parseMetadata(null)).isNull();
    PushOptions.checkLifetime("1w2d3h4m5s");
  }

  @Test
  void invalidMetadataIsAUsageError() throws Exception {
    String f = file("md", "x").toString();
    assertUsage(CliRun.of("-destination", "D", "-source", f, "-metadata", "novalue"), "invalid -metadata 'novalue'");
    assertUsage(CliRun.of("-destination", "D", "-source", f, "-metadata", "=v"), "invalid -metadata");
  }

  @Test
  void missingDestinationOrTargetIsAUsageError() throws Exception {
    assertUsage(CliRun.of("-source", file("s", "x").toString()), "-destination is required");
    assertUsage(CliRun.of("-destination", "D"), "-target is required when the data comes from standard input");
    assertUsage(CliRun.of("-destination", "D", "-bogus"), "Unknown option: '-bogus'");
  }

  @Test
  void unreadableLocalInputNamesThePath() throws Exception {
    Path missing = dir.resolve("no-such.grib");
    assertUsage(CliRun.of("-destination", "D", "-source", missing.toString()),
        "cannot read source file " + missing + ": no such file");
    assertUsage(CliRun.of("-destination", "D", "-source", dir.toString()), "is a directory");
    Path cacert = dir.resolve("missing.pem");
    assertUsage(CliRun.of(Map.of("ECPDS_PASS", "p"), "-destination", "D", "-source", file("c", "x").toString(),
        "-cacert", cacert.toString()), "cannot read CA certificate file " + cacert);
    assertUsage(CliRun.of(Map.of("ECPDS_PASS", "p", "ECPDS_CACERT", file("bad.pem", "junk").toString()),
        "-destination", "D", "-source", file("c", "x").toString()), "invalid CA certificate file");
  }

  @Test
  void aMissingPasswordWithoutATerminalIsAUsageError() throws Exception {
    assertUsage(CliRun.of("-destination", "D", "-source", file("pw", "x").toString(), "-user", "u"),
        "no password for user u: use -pass or ECPDS_PASS");
  }

  @Test
  void helpListsBothFormsAndTheExitCodes() {
    CliRun r = CliRun.of("-help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("-destination, --destination=NAME").contains("Exit codes:").contains("ECPDS_CACERT");
    assertThat(CliRun.of("--help").out()).isEqualTo(r.out());
  }

  @Test
  void openEcpdsIncompatibleFlagsAreUsageErrors() throws Exception {
    String f = file("inc", "x").toString();
    assertUsage(CliRun.of("-requeue", "-reqid", "5", "-force"), "-force cannot be used with -requeue");
    assertUsage(CliRun.of("-purge", "-reqid", "5", "-force"), "-purge cannot be used with -force or -requeue");
    assertUsage(CliRun.of("-purge", "-reqid", "5", "-requeue"), "-purge cannot be used with -force or -requeue");
    assertUsage(CliRun.of("-destination", "D", "-groupby", "G", "-source", "h:/p", "-remove"),
        "-groupby cannot be used with -remove");
    assertUsage(CliRun.of("-destination", "D", "-target", "t", "-remove"), "-remove needs -source");
    assertUsage(CliRun.of("-destination", "D", "-batch", f, "-remove"), "-remove only applies to the push of one -source");
    assertUsage(CliRun.of("-destination", "D", "-source", f, "-tryCount", "0"), "invalid -tryCount 0");
    assertUsage(CliRun.of("-destination", "D", "-source", f, "-tryDelaySec", "-1"), "invalid -tryDelaySec -1");
  }

  @Test
  void queriesAndSchedulerNeedTheirOperands() {
    assertUsage(CliRun.of("-requeue"), "-requeue needs -reqid");
    assertUsage(CliRun.of("-status"), "-status needs exactly one of -reqid, -destination or -groupby");
    assertUsage(CliRun.of("-status", "-reqid", "3", "-destination", "D"), "exactly one of");
    assertUsage(CliRun.of("-status", "-requeue", "-reqid", "3"), "cannot be combined");
    assertUsage(CliRun.of("-scheduler", "-destination", "D"), "exactly one of -start, -stop or -check");
    assertUsage(CliRun.of("-scheduler", "-start", "-stop", "-destination", "D"), "exactly one of -start, -stop or -check");
    assertUsage(CliRun.of("-scheduler", "-check"), "-scheduler needs -destination");
    assertUsage(CliRun.of("-check", "-destination", "D"), "-start, -stop and -check need -scheduler");
    assertUsage(CliRun.of("-scheduler", "-stop", "-destination", "D", "-json"), "-json needs -scheduler -check");
    assertUsage(CliRun.of("-destination", "D", "-json", "-source", "x"), "-json needs -status");
  }

  @Test
  void eventAndForceGoWithAPush() throws Exception {
    String f = file("ev", "x").toString();
    Ecpds cmd = parse("-destination", "FOO", "-source", f, "-event", "-force");
    assertThat(cmd.push.validate(NO_IO).registration().event()).isTrue();
    assertThat(parse("-destination", "FOO", "-source", f).push.validate(NO_IO).registration().event()).isNull();
  }

  @Test
  void callerComesFromTheOptionElseEcJobStdout() throws Exception {
    Io withJob = new Io(new ByteArrayInputStream(new byte[0]), System.out, System.err,
        name -> name.equals("EC_job_stdout") ? "/home/u/job.1.out" : null, prompt -> null);
    assertThat(parse("-destination", "D").extras.caller(withJob)).isEqualTo("/home/u/job.1.out");
    assertThat(parse("-destination", "D", "-caller", "mine").extras.caller(withJob)).isEqualTo("mine");
    assertThat(parse("-destination", "D").extras.caller(NO_IO)).isNull();
    assertThatThrownBy(() -> parse("-destination", "D", "-caller", "a\nb").extras.caller(NO_IO))
        .hasMessageContaining("invalid -caller");
  }

  @Test
  void progressBar() {
    assertThat(Progress.bar(0, 100L << 20)).isEqualTo("[" + " ".repeat(30) + "]   0% 0/100 MiB");
    assertThat(Progress.bar(50L << 20, 100L << 20)).isEqualTo("[" + "#".repeat(15) + " ".repeat(15) + "]  50% 50/100 MiB");
    assertThat(Progress.bar(100L << 20, 100L << 20)).startsWith("[" + "#".repeat(30) + "] 100%");
  }

  @Test
  void progressWrapperCountsEveryByteAndEndsTheLine() throws Exception {
    Path big = file("big", "y".repeat(3 << 20));
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    PushSource wrapped = Progress.wrap(PushSource.file(big), new java.io.PrintStream(err, true));
    try (java.io.InputStream in = wrapped.open()) {
      assertThat(in.readAllBytes()).hasSize(3 << 20);
    }
    assertThat(err.toString()).startsWith("\r[").endsWith("100% 3/3 MiB" + System.lineSeparator());
    // on no terminal (tests, pipes) the source is not wrapped at all
    PushSource plain = PushSource.file(big);
    assertThat(Progress.onTerminal(plain, System.err)).isSameAs(plain);
  }

  static void assertUsage(CliRun r, String message) {
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLine()).startsWith("ecpds: ").contains(message).doesNotContain("\n");
  }
}
