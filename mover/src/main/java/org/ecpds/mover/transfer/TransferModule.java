package org.ecpds.mover.transfer;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * One session with a remote host through one protocol. Instances are not thread-safe: one transfer
 * at a time. {@link #close()} may be called from another thread to abort a running operation.
 * Every failure is a {@link TransferException} carrying its {@link org.ecpds.proto.ErrorKind}.
 *
 * <p>Paths: a relative path is relative to the login (home) directory.
 */
public interface TransferModule extends AutoCloseable {
  /** Opens the session; {@code options} are the host's options merged with the mover's defaults. */
  void connect(HostSpec host, Map<String, String> options) throws TransferException;

  /**
   * Writes {@code size} bytes (-1 when unknown) from {@code in} to {@code targetPath}, creating
   * missing directories. The final name appears only once the content is complete.
   *
   * @return the number of bytes written
   */
  long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException;

  /**
   * Writes several files in this session, each as {@link #put} would, and answers for each one, in
   * order: written, failed (that file only), or not attempted (the session broke or was closed
   * before its turn; the caller may send it again on another session). One file failing does not
   * stop the others. This default puts one after the other; a protocol overrides it where batching
   * saves round trips or processes.
   */
  default List<PutResult> putAll(List<? extends BatchPut> puts) {
    List<PutResult> out = new ArrayList<>(puts.size());
    boolean broken = false;
    for (BatchPut p : puts) {
      if (broken) {
        out.add(PutResult.NOT_ATTEMPTED);
        continue;
      }
      InputStream source;
      try {
        source = p.open();
      } catch (TransferException e) { // this file's own problem (e.g. cancelled): the session is fine
        out.add(PutResult.failed(e));
        continue;
      }
      try (InputStream in = source) {
        out.add(PutResult.written(put(in, p.size(), p.targetPath(), p.progress())));
      } catch (TransferException e) {
        out.add(PutResult.failed(e));
        broken = PutResult.breaksSession(e);
      } catch (java.io.IOException e) { // closing the source
        out.add(PutResult.failed(new TransferException(ErrorKind.LOCAL, "cannot close the source: " + e, e)));
      }
    }
    return out;
  }

  /** Opens a remote file for reading; closing the stream ends the read. */
  InputStream get(String path, long offset) throws TransferException;

  List<RemoteFile> list(String directory) throws TransferException;

  /**
   * Hands the entries of {@code directory} to {@code sink} one by one as they arrive, so that a
   * protocol that reads listings in batches (SFTP, FTP) never holds a huge directory in memory.
   * This default lists first and then hands over.
   */
  default void list(String directory, Consumer<RemoteFile> sink) throws TransferException {
    list(directory).forEach(sink);
  }

  void delete(String path) throws TransferException;

  void mkdirs(String directory) throws TransferException;

  void rename(String from, String to) throws TransferException;

  /** Size of a remote file, or -1 when it does not exist. */
  long size(String path) throws TransferException;

  @Override
  void close();
}
