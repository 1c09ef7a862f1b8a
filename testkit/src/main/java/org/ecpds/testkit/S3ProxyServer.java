package org.ecpds.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A private s3proxy 4.1.0 (S3 API over jclouds' filesystem provider) on a free loopback port, run
 * as a child JVM so that its 55 MB of shaded dependencies stay off the test classpath. Objects are
 * plain files: key "dir/f" of bucket "b" is {@link #dataDir()}/b/dir/f. Authentication is
 * aws-v2-or-v4 with a generated access key and secret.
 *
 * <p>The jar is found through the system property {@code ecpds.s3proxy.jar} (set by the build),
 * else in the local Maven repository (testkit's build resolves it there), else testkit/target.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String JAR_PROPERTY = "ecpds.s3proxy.jar";
  private static final String REPO_PATH = "org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar";

  private final Path base;
  private final Path data;
  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final ServerProcess server;

  private S3ProxyServer(Path base, Path jar, int port, String accessKey, String secretKey) {
    this.base = base;
    this.data = base.resolve("data");
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.server = new ServerProcess("s3proxy", base, List.of(java, "-Xmx512m", "-jar", jar.toString(),
        "--properties", base.resolve("s3proxy.conf").toString()), base.resolve("s3proxy.log"), this::awaitHttp);
  }

  /** Starts a server with the given (initially empty) buckets. */
  public static S3ProxyServer start(String... buckets) {
    Path jar = findJar();
    try {
      Path base = Files.createTempDirectory("ecpds-s3proxy");
      S3ProxyServer s = new S3ProxyServer(base, jar, FreePorts.next(), "ecpds" + random(8), "Secret-" + random(20));
      Files.createDirectories(s.data);
      for (String b : buckets) s.createBucket(b);
      Files.writeString(base.resolve("s3proxy.conf"), String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + s.port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + s.accessKey,
          "s3proxy.credential=" + s.secretKey,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + s.data,
          ""));
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start s3proxy: " + e.getMessage(), e);
    }
  }

  static Path findJar() {
    List<Path> candidates = new ArrayList<>();
    String prop = System.getProperty(JAR_PROPERTY);
    if (prop != null && !prop.isBlank()) candidates.add(Path.of(prop));
    String repo = System.getProperty("maven.repo.local");
    if (repo != null && !repo.isBlank()) candidates.add(Path.of(repo, REPO_PATH));
    candidates.add(Path.of(System.getProperty("user.home"), ".m2", "repository", REPO_PATH));
    candidates.add(Path.of("..", "testkit", "target", "s3proxy", "s3proxy.jar"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) return p;
    }
    throw new IllegalStateException("s3proxy jar not found (looked at " + candidates + "); resolve it with: "
        + "./mvnw -B -pl testkit generate-resources   (org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies)");
  }

  /** Listening is not enough: wait for the first HTTP answer (any status; 403 without credentials). */
  private void awaitHttp(Process process) {
    Duration timeout = Duration.ofSeconds(60);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) throw new IllegalStateException("s3proxy exited early");
      try {
        http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        FreePorts.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("s3proxy did not answer on " + endpoint() + " within " + timeout);
  }

  /** A bucket is a directory under the data dir for the filesystem provider. */
  public Path createBucket(String name) {
    try {
      return Files.createDirectories(data.resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where an object is stored. */
  public Path object(String bucket, String key) {
    return data.resolve(bucket).resolve(key);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public Path dataDir() {
    return data;
  }

  public Path log() {
    return server.log();
  }

  /** Kills the server like a host going down (connections drop); the data stays until close(). */
  public void stop() {
    server.stop();
  }

  /** Starts it again after stop(): same port, credentials and data. */
  public void restart() {
    server.restart();
  }

  @Override
  public void close() {
    server.close();
  }

  private static String random(int n) {
    return UUID.randomUUID().toString().replace("-", "").substring(0, n);
  }
}
