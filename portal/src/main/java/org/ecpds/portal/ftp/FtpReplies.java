package org.ecpds.portal.ftp;

import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.ecpds.portal.fs.FsException;

/** The portal's refusal kinds as FTP replies (RFC 959 codes; 4xx = worth retrying). */
final class FtpReplies {
  private FtpReplies() {}

  static int code(FsException.Kind kind) {
    return switch (kind) {
      case INVALID_NAME -> 553;   // file name not allowed
      case QUOTA_EXCEEDED -> 452; // insufficient storage / a per-user limit: retry later
      case UNAVAILABLE -> 450;    // file unavailable just now
      case NOT_FOUND, DENIED, EXISTS, NOT_EMPTY, IS_DIRECTORY, NOT_DIRECTORY -> 550;
    };
  }

  static FtpReply refused(FsException e) {
    return reply(code(e.kind()), e.getMessage());
  }

  /** A one-line reply; CR/LF in the text would let it forge further replies. */
  static FtpReply reply(int code, String text) {
    String line = text == null || text.isBlank() ? "Requested action not taken" : text.replaceAll("[\\r\\n]+", " ");
    return new DefaultFtpReply(code, line);
  }

  static FtpReply reply(FtpReplyCode code, String text) {
    return reply(code.code, text);
  }

  /** Codes used outside the kind mapping, named for readability. */
  enum FtpReplyCode {
    OPENING_DATA(150), LOGGED_IN(230), TRANSFER_COMPLETE(226), OK(250), CREATED(257),
    CANT_OPEN_DATA(425), TRANSFER_ABORTED(426), LOCAL_ERROR(451), SYNTAX(501), NOT_IMPLEMENTED(502),
    BAD_SEQUENCE(503), NOT_LOGGED_IN(530), PROTECTION_REQUIRED(521), NOT_TAKEN(550);

    final int code;

    FtpReplyCode(int code) {
      this.code = code;
    }
  }
}
