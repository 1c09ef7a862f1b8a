package org.ecpds.common.grpc;

import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.security.MessageDigest;
import java.util.concurrent.Executor;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.LoginGuard.Attempt;

/**
 * Node-link authentication: every gRPC call carries the cluster secret, checked in constant time.
 * A wrong or missing secret is a DEA line (protocol "grpc", the serving process, the peer address)
 * and counts in the {@link LoginGuard}; while the peer's address waits, its calls are closed with
 * RESOURCE_EXHAUSTED before the secret is compared (gRPC's "too many attempts", never a sleep).
 */
public final class ClusterAuth {
  public static final Metadata.Key<String> SECRET_HEADER =
      Metadata.Key.of("x-ecpds-cluster-secret", Metadata.ASCII_STRING_MARSHALLER);

  private ClusterAuth() {}

  public static final String PROTOCOL = "grpc";

  /** With a guard of default settings on the system clock (tests and fakes). */
  public static ServerInterceptor serverInterceptor(String secret) {
    return serverInterceptor(secret, new LoginGuard(LoginGuard.DEFAULTS, Clock.systemUTC()), "");
  }

  /** @param process name of the serving process, for the DEA line ("master", a mover's name) */
  public static ServerInterceptor serverInterceptor(String secret, LoginGuard guard, String process) {
    byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        Attempt attempt = new Attempt(PROTOCOL, process, peer(call), "");
        Duration wait = guard.waitBefore(attempt);
        if (!wait.isZero()) {
          call.close(Status.RESOURCE_EXHAUSTED.withDescription("too many failed node-link authentications; retry in "
              + LoginGuard.retryAfterSeconds(wait) + " s"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        String given = headers.get(SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
          guard.refused(attempt, (given == null ? "Missing" : "Invalid") + " cluster secret for "
              + call.getMethodDescriptor().getFullMethodName());
          call.close(Status.UNAUTHENTICATED.withDescription("invalid or missing cluster secret"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }

  /** The peer's IP address, or the transport's own name for it (in-process links). */
  static String peer(ServerCall<?, ?> call) {
    SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (a instanceof InetSocketAddress inet && inet.getAddress() != null) return inet.getAddress().getHostAddress();
    return a == null ? "" : a.toString();
  }

  public static CallCredentials callCredentials(String secret) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(SECRET_HEADER, secret);
        applier.apply(m);
      }
    };
  }
}
