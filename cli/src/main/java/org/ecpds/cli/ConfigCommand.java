package org.ecpds.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ecpds config export [-o FILE]} and {@code ecpds config apply FILE [-dryrun]}: the master's
 * declarative configuration (docs/config.md). Export writes the document (stdout by default);
 * apply sends one (a FILE of "-" is standard input) and prints what changed, one line each.
 */
@Command(name = "config", sortOptions = false, usageHelpAutoWidth = true,
    customSynopsis = {"ecpds config export [-o FILE] [connection options]",
        "       ecpds config apply FILE [-dryrun] [connection options]"},
    description = {"", "Exports or applies the master's whole configuration as one JSON document (operators).", ""})
final class ConfigCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "export|apply", description = "export or apply")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "the document to apply (- for stdin)")
  String file;

  @Option(names = {"-o", "--o"}, paramLabel = "FILE", description = "export: write the document to FILE")
  Path output;

  @Option(names = {"-dryrun", "--dryrun"}, description = "apply: report what would change, change nothing")
  boolean dryRun;

  @Option(names = {"-help", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Mixin ConnectionOptions connection;

  private final Io io;

  ConfigCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws CliException {
    return switch (action) {
      case "export" -> export();
      case "apply" -> apply();
      default -> throw CliException.usage("config: unknown action '" + action + "' (export or apply)");
    };
  }

  private MasterClient master() throws CliException {
    return new MasterClient(connection.endpoint(), connection.trust(io), connection.connectTimeout());
  }

  private int export() throws CliException {
    if (file != null) throw CliException.usage("config export takes no FILE argument (use -o FILE)");
    if (dryRun) throw CliException.usage("-dryrun is for config apply");
    JsonNode doc = master().exportConfig(connection.credentials(io));
    String text;
    try {
      text = JsonReply.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the document", e);
    }
    if (output == null) {
      io.out().print(text);
      return ExitCodes.OK;
    }
    try {
      Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".ecpds-config", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw CliException.usage("cannot write " + output + ": " + e.getMessage());
    }
    return ExitCodes.OK;
  }

  private int apply() throws CliException {
    if (file == null) throw CliException.usage("config apply needs a FILE (- for standard input)");
    if (output != null) throw CliException.usage("-o is for config export");
    String document;
    try {
      document = "-".equals(file) ? new String(io.in().readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
    if (JsonReply.parse(document) == null) throw CliException.usage(file + " is not a JSON document");
    JsonNode reply = master().applyConfig(connection.credentials(io), document, dryRun);
    JsonNode diff = reply.path("diff");
    for (var section = diff.fields(); section.hasNext();) {
      var s = section.next();
      String kind = s.getKey();
      s.getValue().path("added").forEach(n -> io.out().println("+ " + kind + " " + n.asText()));
      s.getValue().path("changed").forEach(c -> io.out().println("~ " + kind + " " + c.path("name").asText() + " "
          + c.path("fields").toString()));
      s.getValue().path("removed").forEach(n -> io.out().println("- " + kind + " " + n.asText()));
    }
    int n = reply.path("changes").asInt();
    io.out().println(n + " change" + (n == 1 ? "" : "s") + (reply.path("dryRun").asBoolean() ? " (dry run: nothing applied)" : ""));
    return ExitCodes.OK;
  }
}
