package org.ecpds.portal;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.proto.LocateMoverRequest;
import org.ecpds.proto.MoverLocation;
import org.ecpds.proto.PortalFile;

/**
 * Reads a file that another mover holds, over that mover's HTTPS endpoint ({@code GET /data/{id}}
 * with a byte range), so a portal user may connect to any mover. The master says where the mover is
 * and which certificate it presents; the read is authorised by a short-lived peer-read token this mover
 * signs with the cluster secret. Sequential reads share one response stream; a read elsewhere in the
 * file (a client seeking, parallel range requests) opens a new ranged request.
 */
final class PeerReads {
  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);

  private record Peer(String url, HttpClient client) {}

  private final Function<String, MoverLocation> locate;
  private final UploadTokens tokens;
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();

  PeerReads(Function<String, MoverLocation> locate, UploadTokens peerTokens) {
    this.locate = locate;
    this.tokens = peerTokens;
  }

  SeekableByteChannel open(PortalFile file) throws IOException {
    Peer peer;
    try {
      peer = peers.computeIfAbsent(file.getMoverName(), name -> {
        MoverLocation l = locate.apply(name);
        return new Peer(l.getUrl(), HttpClient.newBuilder().sslContext(PemTrust.trusting(List.of(l.getCertificatePem())))
            .connectTimeout(Duration.ofSeconds(10)).build());
      });
    } catch (StatusRuntimeException e) {
      throw new NoSuchFileException("data file " + file.getDataFileId() + " is held by mover " + file.getMoverName()
          + ", which cannot be reached now (" + e.getStatus().getCode() + ")");
    }
    return new PeerChannel(peer, file);
  }

  /** Forgets a mover's address (it may have restarted elsewhere, with another certificate). */
  void forget(String mover) {
    peers.remove(mover);
  }

  private final class PeerChannel implements SeekableByteChannel {
    private final Peer peer;
    private final PortalFile file;
    private long position;
    private InputStream stream;
    private long streamPosition = -1;
    private boolean open = true;

    PeerChannel(Peer peer, PortalFile file) {
      this.peer = peer;
      this.file = file;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
      if (!open) throw new ClosedChannelException();
      if (position >= file.getSize()) return -1;
      if (stream == null || streamPosition != position) reopen();
      int want = (int) Math.min(dst.remaining(), file.getSize() - position);
      byte[] buf = dst.hasArray() ? dst.array() : new byte[want];
      int off = dst.hasArray() ? dst.arrayOffset() + dst.position() : 0;
      int n = stream.read(buf, off, want);
      if (n < 0) throw new IOException("mover " + file.getMoverName() + " ended data file " + file.getDataFileId()
          + " at byte " + position + " of " + file.getSize());
      if (dst.hasArray()) dst.position(dst.position() + n); else dst.put(buf, 0, n);
      position += n;
      streamPosition = position;
      return n;
    }

    private void reopen() throws IOException {
      closeStream();
      HttpRequest request = HttpRequest.newBuilder(URI.create(peer.url() + "/data/" + file.getDataFileId()))
          .header("Authorization", "Bearer " + tokens.issue(file.getDataFileId(),
              System.currentTimeMillis() + TOKEN_LIFETIME.toMillis()))
          .header("Range", "bytes=" + position + "-").GET().build();
      HttpResponse<InputStream> response;
      try {
        response = peer.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted reading from mover " + file.getMoverName());
      } catch (IOException e) {
        forget(file.getMoverName());
        throw e;
      }
      if (response.statusCode() != 206 && response.statusCode() != 200) {
        response.body().close();
        if (response.statusCode() == 404) {
          throw new NoSuchFileException("data file " + file.getDataFileId() + " is not on mover " + file.getMoverName());
        }
        throw new IOException("mover " + file.getMoverName() + " answered " + response.statusCode()
            + " for data file " + file.getDataFileId());
      }
      stream = response.body();
      if (response.statusCode() == 200) stream.skipNBytes(position); // a peer that ignored the range
      streamPosition = position;
    }

    private void closeStream() throws IOException {
      if (stream != null) stream.close();
      stream = null;
      streamPosition = -1;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() {
      return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long size() {
      return file.getSize();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new NonWritableChannelException();
    }

    @Override
    public synchronized boolean isOpen() {
      return open;
    }

    @Override
    public synchronized void close() throws IOException {
      open = false;
      closeStream();
    }
  }
}
