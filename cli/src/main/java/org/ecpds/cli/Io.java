package org.ecpds.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * Everything the command touches outside itself (streams, environment, the terminal), so that
 * tests run it in-process without System.exit, System.in or real environment variables.
 *
 * @param passwordPrompt asks for a password given a prompt; returns null when there is no terminal
 */
record Io(InputStream in, PrintStream out, PrintStream err, Function<String, String> env,
    Function<String, char[]> passwordPrompt) {

  static Io system() {
    return new Io(System.in, System.out, System.err, System::getenv, Io::consolePassword);
  }

  private static char[] consolePassword(String prompt) {
    Console c = System.console();
    return c == null ? null : c.readPassword("%s", prompt);
  }

  /** A non-blank environment variable, or null. */
  String getenv(String name) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? null : v;
  }
}
