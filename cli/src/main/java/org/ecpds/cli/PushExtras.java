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

  @Option(names = {"-verbose", "--verbose"}, description = "Report each step on stderr.")
  boolean verbose;

  int tries() throws CliException {
    if (tryCount < 1) throw CliException.usage("invalid -tryCount " + tryCount + " (>= 1)");
    return tryCount;
  }

  Duration tryDelay() throws CliException {
    if (tryDelaySec < 0) throw CliException.usage("invalid -tryDelaySec " + tryDelaySec + " (>= 0)");
    return Duration.ofSeconds(tryDelaySec);
  }
}
