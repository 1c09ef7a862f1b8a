package org.ecpds.master.domain;

/** A public key an incoming user logs in with (SFTP/SCP), in OpenSSH authorized_keys form. */
public record UserKey(long id, String publicKey, String fingerprint, long createdMs) {}
