package org.ecpds.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** -batch: many files pushed by one process (one JVM start, kept-alive TLS connections). */
final class BatchOptions {
  static final int MAX_PARALLEL = 64;

  @Option(names = {"-batch", "--batch"}, paramLabel = "LIST",
      description = "Push every file named in LIST (one a line: PATH, or PATH<TAB>TARGET; blank lines and # comments "
          + "skipped; - reads the list from standard input) with this command's options; prints ID<TAB>PATH for each "
          + "stored file.")
  String list;

  @Option(names = {"-parallel", "--parallel"}, paramLabel = "N", defaultValue = "4",
      description = "Files pushed at the same time with -batch, 1-" + MAX_PARALLEL + " (default: ${DEFAULT-VALUE}).")
  int parallel;

  /** One file of the list: where it is, its target name (null = the file name) and its line for messages. */
  record Entry(Path path, String target, int line) {}

  boolean requested() {
    return list != null;
  }

  void check(PushOptions push) throws CliException {
    if (list.isBlank()) throw CliException.usage("-batch needs a list file (or - for standard input)");
    if (parallel < 1 || parallel > MAX_PARALLEL) {
      throw CliException.usage("invalid -parallel " + parallel + " (1-" + MAX_PARALLEL + ")");
    }
    if (push.source != null || push.target != null) {
      throw CliException.usage("-batch takes the files and targets from its list, not from -source/-target");
    }
  }

  /** The list's entries, read and checked before anything is sent. */
  List<Entry> entries(Io io) throws CliException {
    List<Entry> out = new ArrayList<>();
    try (BufferedReader r = "-".equals(list)
        ? new BufferedReader(new InputStreamReader(new PushSource.UnclosableStream(io.in()), StandardCharsets.UTF_8))
        : Files.newBufferedReader(Path.of(list), StandardCharsets.UTF_8)) {
      int n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n++;
        if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
        int tab = line.indexOf('\t');
        String path = (tab < 0 ? line : line.substring(0, tab)).strip();
        String target = tab < 0 ? null : line.substring(tab + 1).strip();
        if (target != null && target.isEmpty()) throw CliException.usage(where(n) + ": empty target after the tab");
        if (path.isEmpty()) throw CliException.usage(where(n) + ": no file name");
        out.add(new Entry(Path.of(path), target, n));
      }
    } catch (IOException e) {
      throw CliException.usage("cannot read the -batch list " + list + ": " + LocalFiles.reason(e));
    } catch (java.nio.file.InvalidPathException e) {
      throw CliException.usage("invalid file name in the -batch list " + list + ": " + e.getMessage());
    }
    if (out.isEmpty()) throw CliException.usage("the -batch list " + list + " names no file");
    return out;
  }

  String where(int line) {
    return ("-".equals(list) ? "standard input" : list) + ":" + line;
  }
}
