package org.ecpds.master;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.Hello;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.MoverControlGrpc;
import org.ecpds.proto.MoverMessage;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;

/**
 * A scripted stand-in for a mover's control stream, so that scheduler rules (order, retries,
 * failover, interruption) can be driven step by step. The real mover is exercised end to end in
 * the launcher module's tests.
 */
final class ScriptedMover implements AutoCloseable {
  final BlockingQueue<Instruction> instructions = new LinkedBlockingQueue<>();
  final BlockingQueue<StoredAck> acks = new LinkedBlockingQueue<>();
  private final ManagedChannel channel;
  private final StreamObserver<MoverMessage> out;
  private final java.util.concurrent.CountDownLatch welcomed = new java.util.concurrent.CountDownLatch(1);

  ScriptedMover(String inProcessName, String secret, String name, int maxTransfers) {
    channel = InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
    out = MoverControlGrpc.newStub(channel).withCallCredentials(ClusterAuth.callCredentials(secret))
        .connect(new StreamObserver<>() {
          @Override
          public void onNext(MasterMessage m) {
            if (m.hasWelcome()) welcomed.countDown();
            if (m.hasInstruction()) instructions.add(m.getInstruction());
            if (m.hasStoredAck()) acks.add(m.getStoredAck());
          }

          @Override
          public void onError(Throwable t) { }

          @Override
          public void onCompleted() { }
        });
    synchronized (this) {
      out.onNext(MoverMessage.newBuilder().setHello(Hello.newBuilder().setMoverName(name).setVersion("test")
          .setMaxTransfers(maxTransfers).setUploadUrl("https://127.0.0.1:9").setUploadCertPem("pem")).build());
    }
    try {
      if (!welcomed.await(10, TimeUnit.SECONDS)) throw new AssertionError("master did not welcome the mover");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  synchronized StoredAck stored(long dataFileId, long size) throws InterruptedException {
    return stored(dataFileId, size, "00");
  }

  synchronized StoredAck stored(long dataFileId, long size, String sha256) throws InterruptedException {
    out.onNext(MoverMessage.newBuilder().setStored(Stored.newBuilder().setCorrelationId("s" + dataFileId)
        .setDataFileId(dataFileId).setSize(size).setSha256(sha256).setVolume("v0")).build());
    StoredAck ack = acks.poll(10, TimeUnit.SECONDS);
    if (ack == null) throw new AssertionError("no stored ack");
    return ack;
  }

  Instruction next() throws InterruptedException {
    Instruction i = instructions.poll(10, TimeUnit.SECONDS);
    if (i == null) throw new AssertionError("no instruction within 10 s");
    return i;
  }

  Instruction poll(long millis) throws InterruptedException {
    return instructions.poll(millis, TimeUnit.MILLISECONDS);
  }

  synchronized void ok(Instruction i) {
    out.onNext(MoverMessage.newBuilder().setResult(InstructionResult.newBuilder().setCorrelationId(i.getCorrelationId())
        .setOk(true).setBytes(i.getDisseminate().getSize()).setDurationMillis(1)).build());
  }

  /** A Retrieve answered as stored (size, sha256 and volume as a real mover reports them). */
  synchronized void fetched(Instruction i, long size, String sha256) {
    out.onNext(MoverMessage.newBuilder().setResult(InstructionResult.newBuilder().setCorrelationId(i.getCorrelationId())
        .setOk(true).setBytes(size).setStoredSize(size).setSha256(sha256).setVolume("v0").setDurationMillis(1)).build());
  }

  synchronized void fail(Instruction i, ErrorKind kind, String message) {
    out.onNext(MoverMessage.newBuilder().setResult(InstructionResult.newBuilder().setCorrelationId(i.getCorrelationId())
        .setOk(false).setErrorKind(kind).setMessage(message)).build());
  }

  /** Any message of the mover's, e.g. a ListingPage. */
  synchronized void send(MoverMessage m) {
    out.onNext(m);
  }

  /** Drops the stream abruptly, as a killed process would. */
  void kill() {
    channel.shutdownNow();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
