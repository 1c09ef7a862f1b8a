package org.ecpds.mover.link;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Builds the TLS channel a mover running in its own process uses to reach the master. */
public final class MasterChannels {
  private MasterChannels() {}

  /**
   * A channel to host:port that trusts exactly the given certificate(s) (the master's self-signed
   * certificate, or the CA of a real one). Plain-text channels are deliberately not offered.
   */
  public static ManagedChannel tls(String host, int port, String trustedCertificatePem) {
    ChannelCredentials creds;
    try {
      creds = TlsChannelCredentials.newBuilder()
          .trustManager(new ByteArrayInputStream(trustedCertificatePem.getBytes(StandardCharsets.US_ASCII)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("invalid trusted certificate PEM for the master link", e);
    }
    return Grpc.newChannelBuilderForAddress(host, port, creds)
        // pings detect a silently dead master (NAT, pulled cable) before TCP would; 5 min is the
        // most frequent rate a default gRPC server accepts without answering "too many pings"
        .keepAliveTime(5, TimeUnit.MINUTES)
        .keepAliveTimeout(20, TimeUnit.SECONDS)
        .build();
  }
}
