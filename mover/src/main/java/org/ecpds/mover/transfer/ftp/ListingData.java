package org.ecpds.mover.transfer.ftp;

import java.io.IOException;
import java.net.Socket;
import org.apache.commons.net.ftp.FTPClient;

/**
 * Opens the data connection of a LIST or MLSD so that its lines are parsed as they arrive:
 * commons-net's own list engine reads a whole listing into memory before parsing it.
 */
interface ListingData {
  /** The data connection, or null when the server refused the command (see the reply code). */
  Socket openListing(String command, String arg) throws IOException;

  /** A plain FTP client with {@link #openListing}. */
  final class Plain extends FTPClient implements ListingData {
    @Override
    public Socket openListing(String command, String arg) throws IOException {
      return _openDataConnection_(command, arg);
    }
  }
}
