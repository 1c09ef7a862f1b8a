package org.ecpds.portal.s3;

import org.ecpds.portal.fs.PortalLogin.S3Credentials;

/**
 * A request whose SigV4 signature was verified: who sent it, and what is needed to verify the
 * signatures of the chunks of a streaming upload (each chains on the previous one, from the seed).
 *
 * @param payloadHash the x-amz-content-sha256 the client signed (a hex digest or one of the
 *     UNSIGNED/STREAMING markers)
 */
record SignedRequest(S3Credentials credentials, byte[] signingKey, String amzDate, String scope,
    String seedSignature, String payloadHash) {}
