package org.ecpds.master.movers;

import io.grpc.stub.StreamObserver;
import org.ecpds.proto.MasterMessage;

/** One live control stream to a mover; sends are serialized because StreamObserver is not thread-safe. */
public final class MoverSession {
  private final long moverId;
  private final String name;
  private final StreamObserver<MasterMessage> out;
  private volatile boolean closed;
  private static final java.util.concurrent.atomic.AtomicLong EPOCHS = new java.util.concurrent.atomic.AtomicLong();
  /** Grows with every session: tells what was sent to an earlier session of the same mover. */
  private final long epoch = EPOCHS.incrementAndGet();

  MoverSession(long moverId, String name, StreamObserver<MasterMessage> out) {
    this.moverId = moverId;
    this.name = name;
    this.out = out;
  }

  public long moverId() {
    return moverId;
  }

  public long epoch() {
    return epoch;
  }

  public String name() {
    return name;
  }

  /** Returns false when the stream is gone. */
  public synchronized boolean send(MasterMessage m) {
    if (closed) return false;
    try {
      out.onNext(m);
      return true;
    } catch (RuntimeException e) {
      closed = true;
      return false;
    }
  }

  /**
   * The stream failed or the mover ended it: nothing can be sent any more, though the mover stays
   * registered for the grace period in case it comes back with its transfers still running.
   */
  public synchronized void streamEnded() {
    closed = true;
  }

  synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      out.onCompleted();
    } catch (RuntimeException ignored) {
      // already broken
    }
  }

  public boolean isClosed() {
    return closed;
  }
}
