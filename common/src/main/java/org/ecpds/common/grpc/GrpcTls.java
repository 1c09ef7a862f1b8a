package org.ecpds.common.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManagerFactory;
import org.ecpds.common.tls.TlsMaterial;

/** TLS for node links: the master serves its certificate, clients trust exactly that certificate (pinning). */
public final class GrpcTls {
  private GrpcTls() {}

  public static ServerCredentials serverCredentials(TlsMaterial tls) {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(tls.keyStore(), TlsMaterial.STORE_PASSWORD);
      return TlsServerCredentials.newBuilder().keyManager(kmf.getKeyManagers()).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build gRPC server TLS credentials", e);
    }
  }

  public static ChannelCredentials channelCredentials(String trustedCertificatePem) {
    try {
      return TlsChannelCredentials.newBuilder()
          .trustManager(new ByteArrayInputStream(trustedCertificatePem.getBytes(StandardCharsets.US_ASCII))).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trusted master certificate", e);
    }
  }

  /** A TLS channel to host:port that trusts only the given certificate. */
  public static ManagedChannel channel(String host, int port, String trustedCertificatePem) {
    return Grpc.newChannelBuilderForAddress(host, port, channelCredentials(trustedCertificatePem))
        .keepAliveTime(20, java.util.concurrent.TimeUnit.SECONDS)
        .keepAliveTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
        .build();
  }
}
