package org.ecpds.mover.transfer.s3;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * Maps minio-java / okhttp failures to {@link ErrorKind}s, keeping the server's own code and message.
 *
 * <ul>
 *   <li>InvalidAccessKeyId, SignatureDoesNotMatch, expired/invalid tokens, disabled accounts:
 *       AUTHENTICATION (the credentials themselves are wrong).</li>
 *   <li>AccessDenied in an error body: PERMISSION. S3 answers it to a valid, correctly signing
 *       identity that a bucket or IAM policy refuses (wrong keys get InvalidAccessKeyId or
 *       SignatureDoesNotMatch). A HEAD request (size, delete's and rename's existence check) gets a
 *       bare 403 without a body, which minio reports as AccessDenied: that cannot be told apart
 *       from wrong credentials, the commoner cause, so it is AUTHENTICATION.</li>
 *   <li>NoSuchKey, NoSuchBucket, NoSuchUpload: NOT_FOUND.</li>
 *   <li>I/O failures (refused, reset, timeout, lost), 5xx, SlowDown, RequestTimeout: NETWORK
 *       (retryable: S3 documents these as transient).</li>
 *   <li>TLS certificate failures: AUTHENTICATION (the server's identity is not proven, as a wrong
 *       SFTP host key).</li>
 *   <li>Anything else: PROTOCOL.</li>
 * </ul>
 */
final class S3Errors {
  private static final Set<String> AUTH = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
      "ExpiredToken", "TokenRefreshRequired", "AccountProblem", "AllAccessDisabled", "NotSignedUp",
      "InvalidSecurity", "CredentialsNotSupported");
  private static final Set<String> PERMISSION = Set.of("AccessDenied", "AccessControlListNotSupported");
  private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchUpload",
      "NoSuchVersion", "ResourceNotFound");
  private static final Set<String> TRANSIENT = Set.of("SlowDown", "RequestTimeout", "ServiceUnavailable",
      "InternalError", "RequestTimeTooSkewed", "OperationAborted");

  private S3Errors() {}

  static TransferException classify(String what, Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof TransferException te) return te;
    return new TransferException(kindOf(c), what + ": " + describe(c), c);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** The S3 error code ("NoSuchKey"), or null when the failure is not an S3 error reply. */
  static String code(Throwable t) {
    return unwrap(t) instanceof ErrorResponseException e && e.errorResponse() != null ? e.errorResponse().code() : null;
  }

  static ErrorKind kindOf(Throwable t) {
    if (t instanceof ErrorResponseException e) {
      String code = e.errorResponse() == null ? "" : String.valueOf(e.errorResponse().code());
      if (AUTH.contains(code)) return ErrorKind.AUTHENTICATION;
      if (PERMISSION.contains(code)) {
        boolean head = e.response() != null && "HEAD".equals(e.response().request().method());
        return head ? ErrorKind.AUTHENTICATION : ErrorKind.PERMISSION;
      }
      if (NOT_FOUND.contains(code)) return ErrorKind.NOT_FOUND;
      if (TRANSIENT.contains(code) || (e.response() != null && e.response().code() >= 500)) return ErrorKind.NETWORK;
      return ErrorKind.PROTOCOL;
    }
    if (t instanceof ServerException) return ErrorKind.NETWORK; // 5xx without an S3 error body
    if (t instanceof InvalidResponseException) return ErrorKind.PROTOCOL; // not S3 XML (a proxy page?)
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException s && String.valueOf(s.getMessage()).matches("(?is).*(certificate|pkix|verif).*")) {
        return ErrorKind.AUTHENTICATION;
      }
    }
    if (t instanceof IOException) return ErrorKind.NETWORK; // okhttp: refused, reset, timeout, EOF
    return ErrorKind.PROTOCOL;
  }

  private static String describe(Throwable t) {
    if (t instanceof ErrorResponseException e && e.errorResponse() != null) {
      return e.errorResponse().code() + ": " + e.errorResponse().message()
          + (e.response() != null ? " (HTTP " + e.response().code() + ")" : "");
    }
    return TransferException.describe(t);
  }
}
