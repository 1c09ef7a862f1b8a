package org.ecpds.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.common.config.Durations;
import picocli.CommandLine.Option;

/** What to push and how the master should schedule it. Validated before any network access. */
final class PushOptions {
  static final int DEFAULT_PRIORITY = 99;
  static final String DEFAULT_LIFETIME = "2d";

  @Option(names = {"-destination", "--destination"}, paramLabel = "NAME",
      description = "Destination to push to (required).")
  String destination;

  @Option(names = {"-source", "--source"}, paramLabel = "FILE",
      description = "File to push (default: standard input, which then requires -target).")
  Path source;

  @Option(names = {"-target", "--target"}, paramLabel = "NAME",
      description = "Target name at the destination (default: the source file name).")
  String target;

  @Option(names = {"-priority", "--priority"}, paramLabel = "0-99", defaultValue = "" + DEFAULT_PRIORITY,
      description = "Priority, 0 is the highest (default: ${DEFAULT-VALUE}).")
  int priority;

  @Option(names = {"-lifetime", "--lifetime"}, paramLabel = "DURATION", defaultValue = DEFAULT_LIFETIME,
      description = "How long the file is kept, e.g. 1w, 2d, 12h, 30m, 45s (default: ${DEFAULT-VALUE}).")
  String lifetime;

  @Option(names = {"-metadata", "--metadata"}, paramLabel = "k=v[,k=v...]", split = ",", hideParamSyntax = true,
      description = "Metadata attached to the file; may be repeated.")
  List<String> metadata;

  @Option(names = {"-standby", "--standby", "-dontsend"}, description = "Store the file but hold its transfers.")
  boolean standby;

  @Option(names = {"-asap", "--asap"}, description = "Send before everything else, ignoring the scheduled time.")
  boolean asap;

  @Option(names = {"-delay", "--delay"}, paramLabel = "DURATION",
      description = "Send this long after the scheduled time, e.g. 2h (the master checks the value).")
  String delay;

  @Option(names = {"-at", "--at"}, paramLabel = "TIME",
      description = "Scheduled time in UTC, in the -format pattern (default: now).")
  String at;

  @Option(names = {"-format", "--format"}, paramLabel = "PATTERN", defaultValue = "yyyyMMddHHmmss",
      description = "Pattern of -at (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-event", "--event"},
      description = "Flag the file's transfers for notification (MQTT) once delivered.")
  boolean event;

  /** The registration request, the source opened for checks; nothing has been sent yet. */
  record Push(Registration registration, PushSource source) {}

  Push validate(Io io) throws CliException {
    checkCommon();
    if (source == null && (target == null || target.isBlank())) {
      throw CliException.usage("-target is required when the data comes from standard input (no -source)");
    }
    if (target != null && target.isBlank()) throw CliException.usage("-target must not be empty");
    PushSource src = source == null ? PushSource.stdin(io.in()) : PushSource.file(source);
    return push(src, target != null ? target : source.getFileName().toString());
  }

  /** One file of a batch, with this command's scheduling options; the file is checked now. */
  Push batchFile(Path file, String batchTarget) throws CliException {
    return push(PushSource.file(file), batchTarget != null ? batchTarget : file.getFileName().toString());
  }

  /** The options every push shares, checked once before anything is read or sent. */
  void checkCommon() throws CliException {
    if (destination == null || destination.isBlank()) throw CliException.usage("-destination is required");
    if (priority < 0 || priority > 99) throw CliException.usage("invalid -priority " + priority + " (0-99)");
    checkLifetime(lifetime);
  }

  private Push push(PushSource src, String name) throws CliException {
    Registration r = new Registration(destination.trim(), src.name(), name, priority, lifetime.trim(),
        parseMetadata(metadata), src.size() < 0 ? null : src.size(), standby ? Boolean.TRUE : null,
        asap ? Boolean.TRUE : null, delay == null || delay.isBlank() ? null : delay.trim(), parseAt(at, format),
        event ? Boolean.TRUE : null);
    return new Push(r, src);
  }

  /**
   * The -groupby registrations of the given sources (host:path), checked like a push; nothing is read
   * locally. The shared options are checked and parsed once, not once per source of an -index.
   */
  List<PresetRegistration> presets(List<String> remoteSources, GroupOptions g) throws CliException {
    checkCommon();
    if (target != null && target.isBlank()) throw CliException.usage("-target must not be empty");
    Map<String, String> meta = parseMetadata(metadata);
    Long atMillis = parseAt(at, format);
    String delayText = delay == null || delay.isBlank() ? null : delay.trim();
    List<PresetRegistration> out = new java.util.ArrayList<>(remoteSources.size());
    for (String remoteSource : remoteSources) {
      out.add(new PresetRegistration(destination.trim(), remoteSource, target, meta, priority, lifetime.trim(), atMillis,
          delayText, standby ? Boolean.TRUE : null, asap ? Boolean.TRUE : null, g.force ? Boolean.TRUE : null,
          g.groupBy.trim(), g.noRetrieval ? Boolean.TRUE : null, event ? Boolean.TRUE : null));
    }
    return out;
  }

  /** -at in the -format pattern, read as UTC; epoch milliseconds for the master. */
  static Long parseAt(String text, String pattern) throws CliException {
    if (text == null || text.isBlank()) return null;
    try {
      var f = java.time.format.DateTimeFormatter.ofPattern(pattern).withZone(java.time.ZoneOffset.UTC);
      return java.time.LocalDateTime.parse(text.trim(), f).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw CliException.usage("invalid -at '" + text + "' for -format '" + pattern + "'");
    }
  }

  static void checkLifetime(String text) throws CliException {
    try {
      if (text != null && text.trim().matches("\\d+(w|d|h|m|s)(\\d+(w|d|h|m|s))*")) {
        Duration d = Durations.parse(text);
        if (!d.isZero() && !d.isNegative()) return;
      }
    } catch (ArithmeticException | IllegalArgumentException e) {
      // reported below with the usage hint
    }
    throw CliException.usage("invalid -lifetime '" + text + "' (a positive duration such as 1w, 2d, 12h, 30m, 45s)");
  }

  static Map<String, String> parseMetadata(List<String> items) throws CliException {
    if (items == null || items.isEmpty()) return null;
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      String key = eq < 0 ? "" : item.substring(0, eq).trim();
      if (key.isEmpty()) throw CliException.usage("invalid -metadata '" + item + "' (expected key=value[,key=value...])");
      out.put(key, item.substring(eq + 1).trim());
    }
    return out;
  }
}
