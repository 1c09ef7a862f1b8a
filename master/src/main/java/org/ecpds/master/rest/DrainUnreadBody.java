package org.ecpds.master.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and drops a request body that the resource (or a refusal before it) left unread. Jetty
 * cannot reuse a connection with unread request bytes and closes it after the answer; a client that
 * had already put the connection back in its pool then sees its next request fail with an EOF
 * (AcquisitionRestTest once did). Beyond {@link #LIMIT} bytes the answer says Connection: close.
 */
@Priority(1)
final class DrainUnreadBody implements ContainerResponseFilter {
  static final int LIMIT = 1 << 20;

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
    byte[] buf = new byte[8192];
    long left = LIMIT;
    try {
      InputStream in = request.getEntityStream();
      if (in == null) return;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) return;
        left -= n;
      }
      response.getHeaders().putSingle("Connection", "close");
    } catch (IllegalStateException e) {
      // Jersey closed the stream after reading the entity into the resource's parameter: nothing left
    } catch (IOException e) {
      // the client is gone or sent a broken body: nothing to keep alive
      response.getHeaders().putSingle("Connection", "close");
    }
  }
}
