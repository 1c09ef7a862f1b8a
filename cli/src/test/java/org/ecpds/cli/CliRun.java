package org.ecpds.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One in-process run of the command with captured streams and a fake environment. */
record CliRun(int code, String out, String err) {
  static CliRun of(Map<String, String> env, String... args) {
    return withStdin(new ByteArrayInputStream(new byte[0]), env, args);
  }

  static CliRun of(String... args) {
    return of(Map.of(), args);
  }

  static CliRun withStdin(InputStream in, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Ecpds.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** stderr without its trailing newline: a single-line message must then contain no newline. */
  String errLine() {
    return err.strip();
  }
}
