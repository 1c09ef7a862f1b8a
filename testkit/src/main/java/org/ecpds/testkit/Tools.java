package org.ecpds.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the external programs tests need; a missing one fails the test with the install command. */
public final class Tools {
  private Tools() {}

  public static Path require(String program, String debianPackage) {
    Path found = find(program);
    if (found == null) {
      throw new IllegalStateException("required tool '" + program + "' is missing; install it with: "
          + "apt-get update && apt-get install -y " + debianPackage);
    }
    return found;
  }

  public static Path find(String program) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isExecutable(p) ? p : null;
    }
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/local/sbin";
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }
}
