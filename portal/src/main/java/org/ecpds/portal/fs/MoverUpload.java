package org.ecpds.portal.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.ecpds.mover.store.WriteBehind;

/**
 * An upload being written to a temp file of the mover's store, hashed (SHA-256) on the way in. The
 * commit (register with the master, publish, report Stored, wait for the ack) is the file system's;
 * closing without a commit removes the temp file.
 */
final class MoverUpload implements FsUpload {

  @FunctionalInterface
  interface Publisher {
    FsEntry publish(MoverUpload upload, Map<String, String> metadata) throws FsException;
  }

  /** Makes the refusal (with its DEA line) of an upload that outgrew the user's quota. */
  @FunctionalInterface
  interface QuotaRefusal {
    FsException refuse(FsPath path, String message);
  }

  private final FsPath path;
  private final Path temp;
  private final FileChannel channel;
  private final Publisher publisher;
  private final long quota;
  private final QuotaRefusal refusal;
  private final MessageDigest sha = newDigest();
  private final WriteBehind writeBehind;
  private final long startNanos = System.nanoTime();
  private long written;
  private boolean open = true;
  private FsEntry committed;
  private String digest;

  /** @param quota bytes the user may still upload (-1: no quota); a write past it stops the upload */
  MoverUpload(FsPath path, Path temp, FileChannel channel, Publisher publisher, long quota, QuotaRefusal refusal) {
    this.path = path;
    this.temp = temp;
    this.channel = channel;
    this.writeBehind = new WriteBehind(channel);
    this.publisher = publisher;
    this.quota = quota;
    this.refusal = refusal;
  }

  @Override public FsPath path() { return path; }
  @Override public synchronized long written() { return written; }
  @Override public synchronized boolean isOpen() { return open; }

  Path temp() { return temp; }
  long startNanos() { return startNanos; }
  synchronized String sha256() { return digest; }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    if (!open) throw new ClosedChannelException();
    if (quota >= 0 && src.remaining() > quota - written) {
      // nothing past the quota reaches the store; the upload is over (temp file removed)
      open = false;
      discardTemp();
      throw refusal.refuse(path, "upload quota exceeded (" + quota + " bytes left)");
    }
    ByteBuffer copy = src.duplicate();
    int n = 0;
    while (src.hasRemaining()) n += channel.write(src);
    copy.limit(copy.position() + n);
    sha.update(copy);
    written += n;
    writeBehind.written(written);
    return n;
  }

  @Override
  public synchronized FsEntry commit(Map<String, String> metadata) throws IOException {
    if (committed != null) return committed;
    if (!open) throw new ClosedChannelException();
    open = false;
    try {
      writeBehind.force();
      channel.close();
      digest = HexFormat.of().formatHex(sha.digest());
      committed = publisher.publish(this, metadata);
      return committed;
    } finally {
      if (committed == null) discardTemp();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!open) return;
    open = false;
    discardTemp();
  }

  private void discardTemp() throws IOException {
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
