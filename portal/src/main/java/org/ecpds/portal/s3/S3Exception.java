package org.ecpds.portal.s3;

/** A refusal answered with S3's XML error document: an S3 error code and its HTTP status. */
class S3Exception extends Exception {
  private final String code;
  private final int status;

  S3Exception(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  String code() {
    return code;
  }

  int status() {
    return status;
  }

  static S3Exception accessDenied(String message) {
    return new S3Exception(403, "AccessDenied", message);
  }

  static S3Exception invalidArgument(String message) {
    return new S3Exception(400, "InvalidArgument", message);
  }

  static S3Exception invalidRequest(String message) {
    return new S3Exception(400, "InvalidRequest", message);
  }

  static S3Exception notImplemented(String what) {
    return new S3Exception(501, "NotImplemented", what + " is not implemented by the data portal");
  }

  static S3Exception malformedXml(String message) {
    return new S3Exception(400, "MalformedXML", message);
  }

  static S3Exception signatureMismatch() {
    return new S3Exception(403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
  }
}
