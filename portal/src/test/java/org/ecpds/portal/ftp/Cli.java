package org.ecpds.portal.ftp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ecpds.testkit.Tools;

/** Runs a real client (lftp, curl, rclone) to completion with a deadline, output captured. */
final class Cli {
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private Cli() {}

  static Path require(String program) {
    return Tools.require(program, program);
  }

  static Result run(Path workDir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "cli", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", command) + "\n" + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
