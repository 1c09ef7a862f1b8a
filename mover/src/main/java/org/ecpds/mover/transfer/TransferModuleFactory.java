package org.ecpds.mover.transfer;

/** Creates sessions of one protocol; holds what sessions may share (client, threads). */
public interface TransferModuleFactory extends AutoCloseable {
  /** The HostSpec.transfer_method values served, e.g. "sftp". */
  java.util.Set<String> methods();

  TransferModule create();

  @Override
  default void close() {}
}
