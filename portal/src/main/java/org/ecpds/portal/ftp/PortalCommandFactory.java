package org.ecpds.portal.ftp;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.CommandFactory;
import org.apache.ftpserver.command.CommandFactoryFactory;
import org.apache.ftpserver.command.impl.listing.ListArgumentParser;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.listener.Listener;
import org.apache.mina.transport.socket.SocketSessionConfig;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.PortalLogin;
import org.ecpds.portal.ftp.FtpReplies.FtpReplyCode;

/**
 * FtpServer's commands with the portal's own where the portal decides (login, transfers, writes), the
 * ones the portal cannot honour refused, and on TLS-only listeners a guard: nothing but AUTH and a few
 * harmless commands before TLS, and no data connection without PROT P.
 */
final class PortalCommandFactory implements CommandFactory {
  /** Answered on a TLS-only listener before AUTH TLS (RFC 4217 lets a server refuse USER with 530). */
  private static final Set<String> BEFORE_TLS = Set.of("AUTH", "FEAT", "QUIT", "HELP", "NOOP", "SYST", "LANG", "OPTS");
  private static final Set<String> DATA = Set.of("LIST", "NLST", "MLSD", "RETR", "STOR");
  private static final Set<String> LISTINGS = Set.of("LIST", "NLST", "MLSD");

  private final CommandFactory defaults = new CommandFactoryFactory().createCommandFactory();
  private final Map<String, Command> portal;
  private final Set<Listener> tlsOnly;

  PortalCommandFactory(PortalLogin login, FtpPortalSettings settings, ScheduledExecutorService timer, Set<Listener> tlsOnly) {
    this.tlsOnly = tlsOnly;
    Command notSupported = refuse(FtpReplyCode.NOT_IMPLEMENTED, "Not supported by the data portal");
    this.portal = Map.ofEntries(
        Map.entry("PASS", new LoginCommand(login, settings, timer)),
        Map.entry("STOR", new UploadCommand()),
        Map.entry("RETR", new DownloadCommand()),
        Map.entry("DELE", PathCommands.delete()),
        Map.entry("MKD", PathCommands.mkdir()),
        Map.entry("XMKD", PathCommands.mkdir()),
        Map.entry("RMD", PathCommands.rmdir()),
        Map.entry("XRMD", PathCommands.rmdir()),
        Map.entry("RNTO", PathCommands.renameTo()),
        // appending and server-named uploads cannot be expressed as one whole-file upload
        Map.entry("APPE", refuse(FtpReplyCode.NOT_IMPLEMENTED, "Appending is not supported: upload the whole file with STOR")),
        Map.entry("STOU", notSupported),
        Map.entry("SITE", notSupported),
        // FtpServer's checksums read the whole file, which the portal would account as a download
        Map.entry("MD5", notSupported),
        Map.entry("MMD5", notSupported),
        Map.entry("REIN", new ReinitializeCommand()));
  }

  @Override
  public Command getCommand(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    Command c = portal.containsKey(upper) ? portal.get(upper) : defaults.getCommand(upper);
    if (c == null) return null;
    return (session, context, request) -> {
      noDelay(session);
      if (tlsOnly.contains(session.getListener())) {
        if (!session.isSecure() && !BEFORE_TLS.contains(upper)) {
          session.write(FtpReplies.reply(FtpReplyCode.NOT_LOGGED_IN, "This server requires AUTH TLS first"));
          return;
        }
        if (DATA.contains(upper) && !session.getDataConnection().isSecure()) {
          session.write(FtpReplies.reply(FtpReplyCode.PROTECTION_REQUIRED, "Data connections must be protected: send PBSZ 0 and PROT P"));
          return;
        }
      }
      if (LISTINGS.contains(upper)) listing(c, session, context, request);
      else c.execute(session, context, request);
    };
  }

  /**
   * FtpServer's listings answer 226 with nothing for a directory that does not exist or may not be
   * listed; the path is looked up first (refusal before 150) and a refused listing replaces the 226.
   */
  private static void listing(Command c, FtpIoSession session, FtpServerContext context, FtpRequest request)
      throws IOException, FtpException {
    if (session.getFileSystemView() instanceof PortalFileSystemView view) {
      try {
        String file = ListArgumentParser.parse(request.getArgument()).getFile();
        view.fs().stat(view.resolve(file));
      } catch (FsException e) {
        session.write(FtpReplies.refused(e));
        return;
      } catch (IllegalArgumentException e) {
        // a malformed argument: FtpServer's command answers 501
      }
    }
    try {
      c.execute(session, context, request);
    } catch (PortalFtpFile.ListingRefused e) {
      session.write(FtpReplies.refused(e.refusal()));
    }
  }

  /**
   * FtpServer's listener leaves Nagle's algorithm on: a transfer's 226 waited for the client's delayed
   * ACK of the 150 before it (~40 ms a file on Linux), as any reply sent right after another would.
   */
  private static void noDelay(FtpIoSession session) {
    if (session.getConfig() instanceof SocketSessionConfig socket && !socket.isTcpNoDelay()) socket.setTcpNoDelay(true);
  }

  private static Command refuse(FtpReplyCode code, String text) {
    return new AbstractCommand() {
      @Override
      public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
        session.resetState();
        session.write(FtpReplies.reply(code, text));
      }
    };
  }

  /** REIN: FtpServer's forgets the file system view without disposing it, which would keep the portal session. */
  private static final class ReinitializeCommand extends AbstractCommand {
    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
      FileSystemView view = session.getFileSystemView();
      if (view != null) view.dispose();
      session.reinitialize();
      session.setLanguage(null);
      session.write(FtpReplies.reply(220, "Service ready for new user"));
    }
  }
}
