package org.ecpds.common.grpc;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executor;

/** Node-link authentication: every gRPC call carries the cluster secret, checked in constant time. */
public final class ClusterAuth {
  public static final Metadata.Key<String> SECRET_HEADER =
      Metadata.Key.of("x-ecpds-cluster-secret", Metadata.ASCII_STRING_MARSHALLER);

  private ClusterAuth() {}

  public static ServerInterceptor serverInterceptor(String secret) {
    byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String given = headers.get(SECRET_HEADER);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
          call.close(Status.UNAUTHENTICATED.withDescription("invalid or missing cluster secret"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
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
