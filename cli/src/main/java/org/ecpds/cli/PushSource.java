package org.ecpds.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the pushed bytes come from: a regular file (known size) or stdin (size unknown, streamed chunked). */
interface PushSource extends Transport.Body {
  /** The source name the master records, or null for stdin. */
  String name();

  /** The size in bytes, or -1 when unknown. */
  long size();

  @Override
  default long length() {
    return size();
  }

  /** Checks now, before anything is registered, that the file exists and can be read. */
  static PushSource file(Path path) throws CliException {
    if (Files.isDirectory(path)) throw CliException.usage("cannot read source file " + path + ": is a directory");
    try (FileChannel c = FileChannel.open(path)) {
      return new FileSource(path, c.size());
    } catch (IOException e) {
      throw CliException.usage("cannot read source file " + path + ": " + LocalFiles.reason(e));
    }
  }

  static PushSource stdin(InputStream in) {
    return new StdinSource(in);
  }

  record FileSource(Path path, long size) implements PushSource {
    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public InputStream open() throws CliException {
      try {
        return Files.newInputStream(path);
      } catch (IOException e) {
        throw CliException.usage("cannot read source file " + path + ": " + LocalFiles.reason(e));
      }
    }
  }

  record StdinSource(InputStream in) implements PushSource {
    @Override
    public String name() {
      return null;
    }

    @Override
    public long size() {
      return -1;
    }

    /** Closing the request body must not close the process's stdin. */
    @Override
    public InputStream open() {
      return new UnclosableStream(in);
    }
  }

  /** Closing the request body must not close the process's stdin. */
  final class UnclosableStream extends java.io.FilterInputStream {
    UnclosableStream(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
