package org.ecpds.mover.dissemination;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.HostSpec;

/** A test module that only puts: the executor tests' stubs say what put and close do, nothing else. */
abstract class PutOnlyModule implements TransferModule {

  @Override
  public void connect(HostSpec host, Map<String, String> options) {}

  @Override
  public InputStream get(String path, long offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<RemoteFile> list(String directory) {
    return List.of();
  }

  @Override
  public void delete(String path) {}

  @Override
  public void mkdirs(String directory) {}

  @Override
  public void rename(String from, String to) {}

  @Override
  public long size(String path) {
    return -1;
  }
}
