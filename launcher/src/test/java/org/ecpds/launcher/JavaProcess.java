package org.ecpds.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an ecpds main class in a child JVM with the test's class path (real separate processes). */
final class JavaProcess {
  private JavaProcess() {}

  static ProcessBuilder builder(String mainClass, List<String> args, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (log != null) pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb;
  }

  /** Starts "Main <process> --config cfg" in a child JVM and remembers it for clean-up. */
  static Process launch(List<Process> started, String process, Path cfg, Path log) throws IOException {
    Process p = builder("org.ecpds.launcher.Main", List.of(process, "--config", cfg.toString()), log).start();
    started.add(p);
    return p;
  }

  record Result(int exit, String out, String err) {}

  /** Runs to completion, capturing stdout and stderr separately. */
  static Result run(String mainClass, List<String> args, Path workDir) throws IOException, InterruptedException {
    Path out = Files.createTempFile("ecpds-out", ".txt");
    Path err = Files.createTempFile("ecpds-err", ".txt");
    Process p = builder(mainClass, args, null).directory(workDir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(mainClass + " " + args + " did not finish");
    }
    Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }
}
