package org.ecpds.mover.transfer.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;
import okio.Source;
import okio.Timeout;

/**
 * Keeps a part upload from doubling its memory. minio writes a byte[] body with one
 * {@code sink.write(bytes, 0, length)}, and okio copies all of it into its segment buffer before
 * the first byte reaches the socket: a 16 MiB part would briefly cost 32 MiB. This interceptor hands
 * the body a sink that forwards large writes in slices, each sent before the next is copied.
 */
final class SlicedBodies implements Interceptor {
  private static final int SLICE = 256 * 1024;

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request r = chain.request();
    RequestBody body = r.body();
    if (body == null || body.contentLength() <= SLICE) return chain.proceed(r);
    return chain.proceed(r.newBuilder().method(r.method(), new RequestBody() {
      @Override
      public MediaType contentType() {
        return body.contentType();
      }

      @Override
      public long contentLength() throws IOException {
        return body.contentLength();
      }

      @Override
      public boolean isOneShot() {
        return body.isOneShot();
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        body.writeTo(new SlicingSink(sink));
      }
    }).build());
  }

  /** Delegates everything; only a large array write is cut into emitted slices. */
  private record SlicingSink(BufferedSink d) implements BufferedSink {
    @Override
    public BufferedSink write(byte[] source, int offset, int byteCount) throws IOException {
      for (int done = 0; done < byteCount; ) {
        int n = Math.min(SLICE, byteCount - done);
        d.write(source, offset + done, n);
        d.emitCompleteSegments();
        done += n;
      }
      return this;
    }

    @Override
    public BufferedSink write(byte[] source) throws IOException {
      return write(source, 0, source.length);
    }

    @Override
    public Buffer buffer() {
      return d.getBuffer();
    }

    @Override
    public Buffer getBuffer() {
      return d.getBuffer();
    }

    @Override
    public BufferedSink write(ByteString s) throws IOException {
      d.write(s);
      return this;
    }

    @Override
    public BufferedSink write(ByteString s, int offset, int byteCount) throws IOException {
      d.write(s, offset, byteCount);
      return this;
    }

    @Override
    public long writeAll(Source source) throws IOException {
      return d.writeAll(source);
    }

    @Override
    public BufferedSink write(Source source, long byteCount) throws IOException {
      d.write(source, byteCount);
      return this;
    }

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      d.write(source, byteCount);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return d.write(src);
    }

    @Override
    public BufferedSink writeUtf8(String s) throws IOException {
      d.writeUtf8(s);
      return this;
    }

    @Override
    public BufferedSink writeUtf8(String s, int begin, int end) throws IOException {
      d.writeUtf8(s, begin, end);
      return this;
    }

    @Override
    public BufferedSink writeUtf8CodePoint(int c) throws IOException {
      d.writeUtf8CodePoint(c);
      return this;
    }

    @Override
    public BufferedSink writeString(String s, Charset cs) throws IOException {
      d.writeString(s, cs);
      return this;
    }

    @Override
    public BufferedSink writeString(String s, int begin, int end, Charset cs) throws IOException {
      d.writeString(s, begin, end, cs);
      return this;
    }

    @Override
    public BufferedSink writeByte(int b) throws IOException {
      d.writeByte(b);
      return this;
    }

    @Override
    public BufferedSink writeShort(int s) throws IOException {
      d.writeShort(s);
      return this;
    }

    @Override
    public BufferedSink writeShortLe(int s) throws IOException {
      d.writeShortLe(s);
      return this;
    }

    @Override
    public BufferedSink writeInt(int i) throws IOException {
      d.writeInt(i);
      return this;
    }

    @Override
    public BufferedSink writeIntLe(int i) throws IOException {
      d.writeIntLe(i);
      return this;
    }

    @Override
    public BufferedSink writeLong(long v) throws IOException {
      d.writeLong(v);
      return this;
    }

    @Override
    public BufferedSink writeLongLe(long v) throws IOException {
      d.writeLongLe(v);
      return this;
    }

    @Override
    public BufferedSink writeDecimalLong(long v) throws IOException {
      d.writeDecimalLong(v);
      return this;
    }

    @Override
    public BufferedSink writeHexadecimalUnsignedLong(long v) throws IOException {
      d.writeHexadecimalUnsignedLong(v);
      return this;
    }

    @Override
    public void flush() throws IOException {
      d.flush();
    }

    @Override
    public BufferedSink emit() throws IOException {
      d.emit();
      return this;
    }

    @Override
    public BufferedSink emitCompleteSegments() throws IOException {
      d.emitCompleteSegments();
      return this;
    }

    @Override
    public OutputStream outputStream() {
      return d.outputStream();
    }

    @Override
    public Timeout timeout() {
      return d.timeout();
    }

    @Override
    public boolean isOpen() {
      return d.isOpen();
    }

    @Override
    public void close() throws IOException {
      d.close();
    }
  }
}
