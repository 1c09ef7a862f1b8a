package org.ecpds.mover.transfer.scp;

import java.util.Locale;
import org.apache.sshd.scp.common.ScpException;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.ssh.SshErrors;
import org.ecpds.proto.ErrorKind;

/**
 * Classifies SCP and remote-command failures. The remote tools speak through text (scp's nack
 * line, a command's stderr), so the kind comes from the usual C-library messages; commands run
 * under {@code LC_ALL=C} so that these are in English.
 */
final class ScpErrors {
  private ScpErrors() {}

  static TransferException classify(String what, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TransferException te) return te;
    }
    return new TransferException(kindOf(t), what + ": " + TransferException.describe(t), t);
  }

  /**
   * Java-side failures by type and cause chain; text is read only where the remote tool speaks
   * (scp's nack line, an {@link ScpException}), never from a local exception's message.
   */
  static ErrorKind kindOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ScpException se) {
        ErrorKind k = textKind(se.getMessage());
        return k == null ? ErrorKind.PROTOCOL : k;
      }
      ErrorKind k = SshErrors.transportKind(c);
      if (k != null) return k;
    }
    return ErrorKind.PROTOCOL;
  }

  /** The kind a remote error message names, or null. */
  static ErrorKind textKind(String message) {
    if (message == null) return null;
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("permission denied") || m.contains("operation not permitted")
        || m.contains("read-only file system")) {
      return ErrorKind.PERMISSION;
    }
    // bash says "No such file or directory", dash "cannot open X: No such file"
    if (m.contains("no such file")) return ErrorKind.NOT_FOUND;
    return null;
  }

  /** For a failed command: its stderr names the kind, else PROTOCOL. */
  static ErrorKind commandKind(String stderr) {
    ErrorKind k = textKind(stderr);
    return k == null ? ErrorKind.PROTOCOL : k;
  }
}
