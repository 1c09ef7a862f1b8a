package org.ecpds.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import org.ecpds.common.config.Config;

/** Entry point of the ecpds processes: standalone | master | mover | monitor [--config FILE]. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-h") || args[0].equals("--help")) {
      System.err.println("usage: ecpds-launcher standalone|master|mover|monitor [--config FILE]");
      System.exit(args.length == 0 ? 2 : 0);
    }
    Path configFile = null;
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    for (int i = 0; i < rest.length; i++) {
      if (rest[i].equals("--config") && i + 1 < rest.length) {
        configFile = Path.of(rest[++i]);
      } else {
        System.err.println("unknown argument: " + rest[i]);
        System.exit(2);
      }
    }
    Config config;
    try {
      config = Config.load(configFile);
    } catch (IllegalArgumentException e) {
      System.err.println("ecpds: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (System.getProperty("ecpds.events.file") == null) {
      Path dir = args[0].equals("standalone") ? config.getPath("standalone.dataDir", Path.of("ecpds-data"))
          : config.getPath(args[0] + ".dataDir", Path.of("ecpds-data", args[0]));
      System.setProperty("ecpds.events.file", dir.resolve("events.log").toString());
    }
    String name = args[0];
    if (!java.util.Set.of("standalone", "master", "mover", "monitor").contains(name)) {
      System.err.println("unknown process '" + name + "' (standalone, master, mover, monitor)");
      System.exit(2);
    }
    // The hook is in place before the process starts and says it is running: a SIGTERM in between
    // would otherwise find the JVM shutting down and the hook refused (IllegalStateException).
    java.util.concurrent.CompletableFuture<AutoCloseable> started = new java.util.concurrent.CompletableFuture<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(name, started), "ecpds-shutdown"));
    AutoCloseable process;
    try {
      process = switch (name) {
        case "standalone" -> Standalone.start(config, System.out);
        case "master" -> Processes.master(config, System.out);
        case "mover" -> Processes.mover(config, System.out);
        case "monitor" -> Processes.monitor(config, System.out);
        default -> throw new IllegalStateException(name);
      };
    } catch (Exception e) {
      started.complete(null);
      System.err.println("ecpds: cannot start " + args[0] + ": " + e.getMessage());
      org.slf4j.LoggerFactory.getLogger(Main.class).debug("start failure", e);
      System.exit(1);
      return;
    }
    java.util.Set<String> unread = config.unreadKeys();
    if (!unread.isEmpty()) {
      org.slf4j.LoggerFactory.getLogger(Main.class).warn("configuration keys that {} does not use (misspelt?): {}",
          args[0], String.join(", ", unread));
    }
    started.complete(process);
    Thread.currentThread().join();
  }

  /** On SIGTERM/SIGINT: close everything and say so in one line (or why it did not stop cleanly). */
  private static void stop(String name, java.util.concurrent.Future<AutoCloseable> started) {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
    long start = System.nanoTime();
    try {
      // a stop during start waits (bounded) for the start to finish, or fail: then there is nothing to close
      AutoCloseable process = started.get(2, java.util.concurrent.TimeUnit.MINUTES);
      if (process == null) return;
      process.close();
      log.info("ecpds {} stopped ({} ms)", name, (System.nanoTime() - start) / 1_000_000);
    } catch (Exception e) {
      log.warn("ecpds {} stopped, not cleanly: {}", name, e.toString());
    }
  }
}
