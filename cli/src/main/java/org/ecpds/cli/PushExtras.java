package org.ecpds.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** OpenECPDS's push flags around the transfer itself: retries of a failed connection, -remove, -verbose. */
final class PushExtras {
  @Option(names = {"-remove", "--remove"},
      description = "Delete the local -source file once the push succeeded (never after a failure or unknown outcome).")
  boolean remove;

  @Option(names = {"-tryCount", "--tryCount"}, paramLabel = "N", defaultValue = "1",
      description = "Attempts to reach the master when it cannot be connected to (default: ${DEFAULT-VALUE}); "
          + "a push that reached it is never repeated.")
  int tryCount;

  @Option(names = {"-tryDelaySec", "--tryDelaySec"}, paramLabel = "SEC", defaultValue = "10",
      description = "Seconds between those attempts (default: ${DEFAULT-VALUE}).")
  int tryDelaySec;

  static final String ENV_CALLER = "EC_job_stdout";
  /** A header value: one line of printable ASCII, bounded. */
  static final int MAX_CALLER = 256;

  @Option(names = {"-caller", "--caller"}, paramLabel = "TEXT",
      description = "Who pushes, written by the data mover in its INH event line (default: $" + ENV_CALLER + ").")
  String caller;

  @Option(names = {"-verbose", "--verbose"}, description = "Report each step on stderr.")
  boolean verbose;

  /** -caller, else $EC_job_stdout (a batch job's output file names the job), else null. */
  String caller(Io io) throws CliException {
    String c = caller != null ? caller : io.getenv(ENV_CALLER);
    if (c == null) return null;
    c = c.strip();
    if (c.isEmpty()) return null;
    if (c.length() > MAX_CALLER || !c.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
      throw CliException.usage("invalid -caller (at most " + MAX_CALLER + " printable ASCII characters)");
    }
    return c;
  }

  int tries() throws CliException {
    if (tryCount < 1) throw CliException.usage("invalid -tryCount " + tryCount + " (>= 1)");
    return tryCount;
  }

  Duration tryDelay() throws CliException {
    if (tryDelaySec < 0) throw CliException.usage("invalid -tryDelaySec " + tryDelaySec + " (>= 0)");
    return Duration.ofSeconds(tryDelaySec);
  }
}
