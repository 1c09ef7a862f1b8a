package org.ecpds.mover.transfer.conformance;

import java.nio.file.Path;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.s3.S3ModuleFactory;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.S3ProxyServer;

/** S3 against a private s3proxy (filesystem provider): keys are files under the bucket directory. */
final class S3Fixture implements ServerFixture {
  private static final String BUCKET = "ecpds-conformance";
  private final S3ProxyServer s3 = S3ProxyServer.start(BUCKET);
  private final S3ModuleFactory factory = new S3ModuleFactory();

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public TransferModuleFactory factory() {
    return factory;
  }

  @Override
  public HostSpec host() {
    return HostSpec.newBuilder().setName("s3proxy").setTransferMethod("s3").setAddress("127.0.0.1")
        .setPort(s3.port()).setLogin(s3.accessKey()).setPassword(s3.secretKey())
        .putOptions("s3.scheme", "http").putOptions("s3.bucketName", BUCKET)
        .putOptions("ectrans.connectTimeout", "5s").build();
  }

  @Override
  public HostSpec wrongPassword() {
    return host().toBuilder().setPassword("not-the-secret").build();
  }

  @Override
  public Path onDisk(String remotePath) {
    return s3.object(BUCKET, remotePath);
  }

  @Override
  public boolean hasDirectories() {
    return false;
  }

  @Override
  public void stop() {
    s3.stop();
  }

  @Override
  public void restart() {
    s3.restart();
  }

  @Override
  public void close() {
    factory.close();
    s3.close();
  }
}
