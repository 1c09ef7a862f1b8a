package org.ecpds.master.domain;

/** An incoming user's S3 access key; {@code secretKey} is only filled when the key is made. */
public record S3Key(long id, String user, String accessKeyId, String secretKey, long createdMs) {}
