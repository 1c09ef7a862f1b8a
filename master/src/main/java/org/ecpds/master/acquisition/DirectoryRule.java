package org.ecpds.master.acquisition;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.regex.Pattern;
import org.ecpds.master.rules.DateToken;
import org.ecpds.master.rules.TargetParts;

/**
 * One line of an acquisition host's Directory field: the directory to list (with {@code $date} etc.),
 * which names to take, and the options that decide what is registered.
 */
public final class DirectoryRule {
  private final int line;
  private final String text;
  private final RuleTemplate directory;
  private final Pattern regex; // null: names come from `name`
  private final RuleTemplate name; // null with a null regex: every name
  private final AcquisitionOptions options;

  DirectoryRule(int line, String text, RuleTemplate directory, Pattern regex, RuleTemplate name, AcquisitionOptions options) {
    this.line = line;
    this.text = text;
    this.directory = directory;
    this.regex = regex;
    this.name = name;
    this.options = options;
  }

  /** Why an entry is or is not taken, in the order the checks run (OpenECPDS's order). */
  public enum Selection { SELECTED, DIRECTORY, SYMLINK, NAME, SIZE, AGE }

  /**
   * The directory this rule lists now. {@code path} goes to the mover (it may hold {@code $host[passwd]});
   * {@code display} is the same with the password masked, for logs and the UI.
   */
  public record Listing(DirectoryRule rule, String path, String display, String dirdate, Instant now, ZoneId zone,
      Pattern names) {}

  /**
   * Resolves the directory with {@code clock}'s time and zone. {@code $dirdate} is the directory's own
   * date: its first {@code $date} (with that token's options), or the line's date when it has none.
   */
  public Listing listing(AcquisitionContext context, Clock clock) {
    Instant now = clock.instant();
    DateToken first = directory.firstDate();
    String dirdate = (first != null ? first : options.date()).resolve("", now, clock.getZone());
    RuleTemplate.Bindings b = new RuleTemplate.Bindings(context, now, clock.getZone(), dirdate, null, null, null);
    Pattern names = regex != null ? regex : name == null ? null : Pattern.compile(Pattern.quote(name.resolve(b, false)));
    return new Listing(this, directory.resolve(b, false), directory.resolve(b, true), dirdate, now, clock.getZone(), names);
  }

  /** The selection checks: entry type, name, filesize, fileage (age = {@code now} - modified time). */
  public Selection select(RemoteFile entry, Listing listing, Instant now) {
    if (entry.directory()) return Selection.DIRECTORY;
    if (entry.symlink() && !options.useSymlink()) return Selection.SYMLINK;
    if (listing.names() != null && !listing.names().matcher(entry.name()).matches()) return Selection.NAME;
    if (options.filesize() != null && !options.filesize().test(entry.size())) return Selection.SIZE;
    if (options.fileage() != null && !options.fileage().test(now.toEpochMilli() - entry.modifiedMillis())) return Selection.AGE;
    return Selection.SELECTED;
  }

  /**
   * What registering a selected entry means. Throws {@link TargetException} when the target template
   * gives something that is not a clean relative path.
   */
  public Registration plan(RemoteFile entry, Listing listing, AcquisitionContext context) {
    String original = listing.path().isEmpty() ? entry.name()
        : listing.path().endsWith("/") ? listing.path() + entry.name() : listing.path() + "/" + entry.name();
    String originalDisplay = listing.display().isEmpty() ? entry.name()
        : listing.display().endsWith("/") ? listing.display() + entry.name() : listing.display() + "/" + entry.name();
    RuleTemplate.Bindings b = new RuleTemplate.Bindings(context, listing.now(), listing.zone(),
        listing.dirdate(), entry, originalDisplay, entry.name());
    String target;
    try {
      target = options.target().resolve(b, true);
    } catch (IllegalArgumentException e) {
      throw new TargetException("line " + line + ": target of " + entry.name() + ": " + e.getMessage());
    }
    String problem = TargetParts.relativePathProblem(target);
    if (problem != null) throw new TargetException("line " + line + ": target '" + target + "' of " + entry.name() + " " + problem);
    String groupBy = options.groupBy().replace("{destination}", context.destination()).replace("{host}", context.host().name());
    DedupKey key = DedupKey.of(context.destination(), target, originalDisplay, entry.modifiedMillis(), options);
    return new Registration(line, original, originalDisplay, entry.name(), target, entry.size(), entry.modifiedMillis(),
        options.metadata(), options.lifetime(), options.priority(), options.standby(), options.noRetrieval(),
        options.deleteOriginal(), groupBy, options.action(), key);
  }

  public int line() {
    return line;
  }

  public String text() {
    return text;
  }

  public AcquisitionOptions options() {
    return options;
  }
}
