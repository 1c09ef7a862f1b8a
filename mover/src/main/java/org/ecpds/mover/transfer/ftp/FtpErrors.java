package org.ecpds.mover.transfer.ftp;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/** Maps FTP replies and socket/TLS failures to {@link ErrorKind}s, keeping the server's own text. */
final class FtpErrors {
  private FtpErrors() {}

  /**
   * The kind of a negative reply. 550 is ambiguous (vsftpd says "Failed to open file" for both a
   * missing and an unreadable file), so the text decides when it can and the caller may refine
   * {@link ErrorKind#PROTOCOL}-less guesses with an existence check (see {@link #is550}).
   */
  static ErrorKind replyKind(int code, String text) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    return switch (code) {
      case 530, 532, 331, 332 -> ErrorKind.AUTHENTICATION;
      case 421, 425, 426 -> ErrorKind.NETWORK; // service closing, no data connection, transfer aborted
      case 550, 553, 450 -> textKind(t);
      default -> ErrorKind.PROTOCOL;
    };
  }

  private static ErrorKind textKind(String t) {
    if (t.contains("no such file") || t.contains("not found") || t.contains("does not exist")
        || t.contains("can't find") || t.contains("cannot find") || t.contains("no such directory")) {
      return ErrorKind.NOT_FOUND;
    }
    if (t.contains("permission") || t.contains("denied") || t.contains("not allowed") || t.contains("forbidden")
        || t.contains("read-only") || t.contains("refused")) {
      return ErrorKind.PERMISSION;
    }
    return ErrorKind.PROTOCOL;
  }

  static boolean is550(int code) {
    return code == 550 || code == 553 || code == 450;
  }

  static TransferException reply(String what, int code, String text) {
    return new TransferException(replyKind(code, text), what + ": " + text(code, text));
  }

  static TransferException classify(String what, Throwable t) {
    if (t instanceof TransferException te) return te;
    return new TransferException(kindOf(t), what + ": " + TransferException.describe(t), t);
  }

  /**
   * By exception type along the cause chain, never by a local exception's message (a TLS failure on
   * a dropped connection carries the socket exception or EOF as its cause). Only the server's reply
   * text is read, in {@link #replyKind}.
   */
  static ErrorKind kindOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CertificateException || c instanceof CertPathValidatorException
          || c instanceof SSLPeerUnverifiedException) {
        return ErrorKind.AUTHENTICATION; // the server is not who we were told to trust
      }
      if (c == c.getCause()) break;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FTPConnectionClosedException || c instanceof ConnectException
          || c instanceof NoRouteToHostException || c instanceof UnknownHostException
          || c instanceof SocketTimeoutException || c instanceof SocketException || c instanceof EOFException) {
        return ErrorKind.NETWORK;
      }
      if (c == c.getCause()) break;
    }
    return ErrorKind.PROTOCOL;
  }

  /** The server's reply as it sent it (it starts with the code), or the bare code. */
  static String text(int code, String reply) {
    return reply == null || reply.isBlank() ? String.valueOf(code) : reply.strip();
  }
}
