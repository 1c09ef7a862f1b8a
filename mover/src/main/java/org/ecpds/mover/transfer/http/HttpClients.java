package org.ecpds.mover.transfer.http;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * The JDK HttpClients a factory's sessions share, one per distinct TLS trust + connect timeout, so
 * that keep-alive connections are reused across sessions (many small files to one host), plus the
 * timer that enforces idle timeouts.
 */
public final class HttpClients implements AutoCloseable {
  static {
    // java.net.http reads the socket in jdk.httpclient.bufsize pieces (16 KiB by default) and hands
    // each to the body stream separately: 256 KiB made a 1 GiB loopback GET 3x faster (4.0 s ->
    // 1.4 s, curl 1.2 s). Read once per JVM when the first client is built; an explicit -D wins.
    if (System.getProperty("jdk.httpclient.bufsize") == null) System.setProperty("jdk.httpclient.bufsize", "262144");
  }

  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ecpds-http-idle-timer");
    t.setDaemon(true);
    return t;
  });

  HttpClient client(HttpSettings s) throws TransferException {
    try {
      return clients.computeIfAbsent(s.clientKey(), k -> build(s));
    } catch (IllegalStateException e) {
      throw new TransferException(ErrorKind.PROTOCOL, e.getMessage(), e.getCause());
    }
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  private static HttpClient build(HttpSettings s) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(s.connectTimeout());
    try {
      if (!s.sslValidation()) {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        b.sslContext(ctx);
      } else if (!s.trustCertPem().isBlank()) {
        b.sslContext(PemTrust.trusting(List.of(s.trustCertPem())));
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
    }
    return b.build();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    clients.clear(); // JDK 17 HttpClients have no close(): idle connections go with the client
  }

  /** sslValidation=false: accepts any certificate and name (insecure; as OpenECPDS does). */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
