package org.ecpds.portal.sftp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ecpds.testkit.Tools;

/** Drives the real OpenSSH sftp client in batch mode, password fed by sshpass. */
final class SftpCli {
  record Result(int exitCode, String output) {}

  private final int port;
  private final Path workDir;

  SftpCli(int port, Path workDir) {
    Tools.require("sftp", "openssh-client");
    Tools.require("sshpass", "sshpass");
    this.port = port;
    this.workDir = workDir;
  }

  Result run(String user, String password, String... commands) throws IOException, InterruptedException {
    return runFrom("127.0.0.1", user, password, commands);
  }

  /** As {@link #run}, with the client's side of the connection bound to a chosen loopback address. */
  Result runFrom(String bindAddress, String user, String password, String... commands)
      throws IOException, InterruptedException {
    Path batch = Files.createTempFile(workDir, "batch", ".txt");
    Files.writeString(batch, String.join("\n", commands) + "\n");
    Path out = Files.createTempFile(workDir, "sftp", ".out");
    List<String> cmd = List.of("sshpass", "-p", password, "sftp", "-o", "BatchMode=no", "-b", batch.toString(),
        "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=" + workDir.resolve("known_hosts"), "-o", "PubkeyAuthentication=no",
        "-o", "NumberOfPasswordPrompts=1", "-o", "BindAddress=" + bindAddress, "-P", String.valueOf(port), user + "@127.0.0.1");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("sftp timed out: " + String.join(" ", commands));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
