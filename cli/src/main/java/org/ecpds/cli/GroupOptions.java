package org.ecpds.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ecpds.common.config.Durations;
import picocli.CommandLine.Option;

/**
 * OpenECPDS's async push: -groupby registers files by their source location (host:path on a source
 * host, or a path on the destination's Source host) without sending content; the master's Data
 * Retrieval Scheduler fetches them. -waitfor waits until a group is fetched.
 */
final class GroupOptions {
  @Option(names = {"-groupby", "--groupby"}, paramLabel = "GROUP",
      description = "Register -source (host:path) for retrieval in this group instead of pushing it.")
  String groupBy;

  @Option(names = {"-index", "--index"}, paramLabel = "FILE",
      description = "With -groupby: a local file listing one source (host:path) per line.")
  Path index;

  @Option(names = {"-noretrieval", "--noretrieval"},
      description = "With -groupby: register the metadata only; the file is never fetched.")
  boolean noRetrieval;

  @Option(names = {"-force", "--force"},
      description = "Register again a file already registered for the same target (a push always registers anew).")
  boolean force;

  @Option(names = {"-waitfor", "--waitfor"}, paramLabel = "GROUP",
      description = "Wait until every file of the group is fetched (exit 0), one failed (1) or -timeout passed (5).")
  String waitFor;

  @Option(names = {"-timeout", "--timeout"}, paramLabel = "DURATION", defaultValue = "1h",
      description = "How long -waitfor waits (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = {"-interval", "--interval"}, paramLabel = "DURATION", defaultValue = "2s",
      description = "How often -waitfor asks a master that answers at once; a current master holds the "
          + "request until the group has settled (default: ${DEFAULT-VALUE}).")
  String interval;

  boolean registers() {
    return groupBy != null;
  }

  /** -groupby's sources: -index's lines (blank lines and # comments skipped) or the one -source. */
  List<String> sources(Path source, String target) throws CliException {
    if (groupBy.isBlank()) throw CliException.usage("-groupby must not be empty");
    if (index == null) {
      if (source == null) throw CliException.usage("-groupby needs -source host:path or -index FILE");
      return List.of(source.toString());
    }
    if (source != null) throw CliException.usage("-index and -source cannot be used together");
    if (target != null) throw CliException.usage("-target cannot be used with -index (each source keeps its name)");
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(index)) {
        String s = line.strip();
        if (!s.isEmpty() && !s.startsWith("#")) out.add(s);
      }
    } catch (IOException e) {
      throw CliException.usage("cannot read -index " + index + ": " + e.getMessage());
    }
    if (out.isEmpty()) throw CliException.usage("-index " + index + " lists no source");
    return out;
  }

  void checkCombinations() throws CliException {
    if (groupBy == null && index != null) throw CliException.usage("-index needs -groupby");
    if (groupBy == null && noRetrieval) throw CliException.usage("-noretrieval needs -groupby");
    if (waitFor != null && groupBy != null) throw CliException.usage("-waitfor cannot be used with -groupby");
  }

  Duration timeout() throws CliException {
    return positive("-timeout", timeout);
  }

  Duration interval() throws CliException {
    return positive("-interval", interval);
  }

  private static Duration positive(String option, String text) throws CliException {
    try {
      Duration d = Durations.parse(text.trim());
      if (!d.isZero() && !d.isNegative()) return d;
    } catch (ArithmeticException | IllegalArgumentException e) {
      // reported below
    }
    throw CliException.usage("invalid " + option + " '" + text + "' (a positive duration such as 2s, 10m, 1h)");
  }
}
