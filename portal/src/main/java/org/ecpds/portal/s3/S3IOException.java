package org.ecpds.portal.s3;

import java.io.IOException;

/** Carries an S3 refusal out of a stream read (a bad chunk signature, a digest that does not match). */
final class S3IOException extends IOException {
  private final S3Exception reply;

  S3IOException(S3Exception reply) {
    super(reply.getMessage());
    this.reply = reply;
  }

  S3Exception reply() {
    return reply;
  }
}
