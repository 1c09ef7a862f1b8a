package org.ecpds.mover.transfer.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.proto.HostSpec;

/**
 * Sends synthetic files with this mover's own SFTP module, right after start, so that the JIT has
 * compiled the large-file upload path (SFTP write pipeline, channel packets, AES-GCM, NIO writes, the
 * key exchange) before the first large dissemination: that one ran at about 0.6x of the later ones
 * (docs/benchmarks.md, "the 1 GiB SFTP dissemination, cold"). The source is a sparse file (zeros, no
 * disk blocks) read through the same stream class as a stored data file, and the session is made by
 * the same module factory as a dissemination's, so the compiled code is shaped as theirs is.
 */
public final class SftpPutWarmup {
  /**
   * Sessions the bytes are spread over: each opens with a key exchange, and the post-quantum one
   * (sntrup761x25519, in plain Java) cost seconds of compilation in the first session and the first
   * re-key of a 1 GiB dissemination otherwise.
   */
  static final int SESSIONS = 4;
  /**
   * Bytes per write request: a quarter of the default ({@code sftp.writeBufferSize}), so that the
   * per-request path is called often enough to be compiled by C2 (512 MiB in 252 KiB requests left it
   * in C1 until the first real large file).
   */
  static final int WRITE_SIZE = 64 * 1024;

  private SftpPutWarmup() {}

  /**
   * Puts {@code bytes} in all, in {@link #SESSIONS} files of one session each, at {@code targetPath} on the
   * SFTP server at {@code address}, logged in as {@code user} with {@code privateKey} (OpenSSH text), the
   * server's host key pinned to {@code hostKeyFingerprint} ("SHA256:..."). Returns the bytes sent.
   *
   * @throws org.ecpds.mover.transfer.TransferException as a dissemination's put would
   */
  public static long put(TransferModules modules, InetSocketAddress address, String hostKeyFingerprint, String user,
      String privateKey, String targetPath, long bytes) throws IOException {
    HostSpec host = HostSpec.newBuilder().setName("sftp-put-warmup").setTransferMethod("sftp")
        .setAddress(address.getAddress().getHostAddress()).setPort(address.getPort()).setLogin(user)
        .putOptions("sftp.privateKey", privateKey).putOptions("sftp.fingerPrint", hostKeyFingerprint)
        .putOptions("sftp.writeBufferSize", String.valueOf(WRITE_SIZE)).build();
    long each = bytes / SESSIONS;
    Path sparse = Files.createTempFile("ecpds-sftp-put-warmup", ".bin");
    try {
      try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
        f.setLength(each); // a hole: reads give zeros from no disk block
      }
      long sent = 0;
      for (int i = 0; i < SESSIONS; i++) sent += putOnce(modules, host, sparse, each, targetPath);
      return sent;
    } finally {
      Files.deleteIfExists(sparse);
    }
  }

  private static long putOnce(TransferModules modules, HostSpec host, Path source, long size, String targetPath)
      throws IOException {
    AtomicLong sent = new AtomicLong();
    TransferModule m = modules.create(host);
    try (InputStream in = Channels.newInputStream(FileChannel.open(source, StandardOpenOption.READ))) {
      m.connect(host, host.getOptionsMap());
      m.put(in, size, targetPath, sent::set);
    } finally {
      m.close();
    }
    return sent.get();
  }
}
