package org.ecpds.mover.transfer;

/** An entry of a remote directory listing. */
public record RemoteFile(String name, long size, long modifiedMillis, boolean directory) {}
