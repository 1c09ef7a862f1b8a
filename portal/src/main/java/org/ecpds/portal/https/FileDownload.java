package org.ecpds.portal.https;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jetty.http.MimeTypes;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsReader;

/**
 * GET and HEAD of a file: validators, conditional requests, single, suffix and multiple ranges.
 * Content streams from the portal file system straight into Jetty's TLS connection in large buffers;
 * nothing is staged. Accounting is the file system's: reading every byte completes the download.
 */
final class FileDownload {
  /** Large writes keep TLS records full and the per-write overhead low. */
  private static final int BUFFER = 256 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private FileDownload() {}

  static String contentType(String name) {
    String type = MimeTypes.DEFAULTS.getMimeByExtension(name);
    return type == null ? "application/octet-stream" : type;
  }

  static void validators(HttpExchange x, FsEntry e) {
    x.setHeader("ETag", Preconditions.etag(e));
    x.setHeader("Last-Modified", HttpDates.format(e.modifiedMillis()));
  }

  static void serve(HttpExchange x, FsEntry stat) throws IOException, HttpReply {
    boolean head = x.method().equals("HEAD");
    switch (Preconditions.evaluate(x.headers(), stat, true)) {
      case FAILED -> throw new HttpReply(412, "precondition failed");
      case NOT_MODIFIED -> {
        validators(x, stat);
        x.sendEmpty(304);
        return;
      }
      case PROCEED -> { }
    }
    if (head) {
      // HEAD answers from the metadata alone: no content is opened, nothing is accounted
      validators(x, stat);
      x.setHeader("Accept-Ranges", "bytes");
      x.setHeader("Content-Type", contentType(stat.name()));
      x.response().setStatus(200);
      x.setHeader("Content-Length", String.valueOf(stat.size()));
      x.write(ByteBuffer.allocate(0), true);
      return;
    }
    try (FsReader reader = x.fs().read(x.path())) {
      FsEntry e = reader.entry();
      long size = e.size();
      validators(x, e);
      x.setHeader("Accept-Ranges", "bytes");
      String type = contentType(e.name());
      List<ByteRanges.Range> ranges = Preconditions.ifRangeHolds(x.headers(), e) ? ByteRanges.parse(x.header("Range"), size) : null;
      if (ranges != null && ranges.isEmpty()) {
        x.setHeader("Content-Range", "bytes */" + size);
        x.send(416, "text/plain; charset=utf-8", "416 Range Not Satisfiable\n");
        return;
      }
      if (ranges == null) {
        x.response().setStatus(200);
        x.setHeader("Content-Type", type);
        x.setHeader("Content-Length", String.valueOf(size));
        copy(x, reader, 0, size, true);
      } else if (ranges.size() == 1) {
        ByteRanges.Range r = ranges.get(0);
        x.response().setStatus(206);
        x.setHeader("Content-Type", type);
        x.setHeader("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + size);
        x.setHeader("Content-Length", String.valueOf(r.length()));
        copy(x, reader, r.first(), r.length(), true);
      } else {
        multipart(x, reader, ranges, type, size);
      }
    }
  }

  private static void multipart(HttpExchange x, FsReader reader, List<ByteRanges.Range> ranges, String type, long size)
      throws IOException {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    String boundary = "ecpds-" + HexFormat.of().formatHex(b);
    long length = 0;
    String[] heads = new String[ranges.size()];
    for (int i = 0; i < heads.length; i++) {
      ByteRanges.Range r = ranges.get(i);
      heads[i] = "\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: bytes " + r.first() + "-" + r.last()
          + "/" + size + "\r\n\r\n";
      length += heads[i].length() + r.length();
    }
    String tail = "\r\n--" + boundary + "--\r\n";
    length += tail.length();
    x.response().setStatus(206);
    x.setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary);
    x.setHeader("Content-Length", String.valueOf(length));
    for (int i = 0; i < heads.length; i++) {
      x.write(ByteBuffer.wrap(heads[i].getBytes(StandardCharsets.US_ASCII)), false);
      copy(x, reader, ranges.get(i).first(), ranges.get(i).length(), false);
    }
    x.write(ByteBuffer.wrap(tail.getBytes(StandardCharsets.US_ASCII)), true);
  }

  private static void copy(HttpExchange x, FsReader reader, long offset, long length, boolean last) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, length)));
    long position = offset;
    long end = offset + length;
    while (position < end) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
      int n = reader.read(buffer, position);
      if (n < 0) throw new IOException("the file ended before its announced size");
      position += n;
      buffer.flip();
      x.write(buffer, last && position >= end);
    }
    if (last && length == 0) x.write(ByteBuffer.allocate(0), true);
  }
}
