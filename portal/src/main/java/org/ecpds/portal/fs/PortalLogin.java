package org.ecpds.portal.fs;

import java.net.InetSocketAddress;
import java.security.PublicKey;

/**
 * Where every protocol adapter logs its users in. Refusals (unknown user, wrong secret, an address that
 * must wait after repeated failures, too many sessions for the user) throw {@link LoginException} after
 * the DEA line was written; the adapter answers with its protocol's refusal, honouring retryAfter.
 */
public interface PortalLogin {

  PortalFs password(String user, String password, String protocol, InetSocketAddress remote) throws LoginException;

  PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote) throws LoginException;

  /** S3's access key id → the user and its secret key, for SigV4 verification (the secret never leaves the portal). */
  default S3Credentials s3Credentials(String accessKeyId, InetSocketAddress remote) throws LoginException {
    throw new LoginException("S3 access keys are not configured", null);
  }

  /** After a SigV4 signature was verified with {@link #s3Credentials}: the session for that user. */
  default PortalFs s3Session(S3Credentials credentials, InetSocketAddress remote) throws LoginException {
    throw new LoginException("S3 access keys are not configured", null);
  }

  /**
   * A request signed with a known access key but a wrong secret (S3 checks the secret through a
   * signature, after {@link #s3Credentials} answered): lets the login guard count it as a failed login
   * (DEA line, delays), as a wrong password would be. Does nothing unless implemented.
   */
  default void s3SignatureRefused(S3Credentials credentials, InetSocketAddress remote) {}

  record S3Credentials(String accessKeyId, String secretKey, String user) {}
}
