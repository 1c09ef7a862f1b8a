// Runs the portal's FTP server (org.ecpds.portal.ftp.PortalFtpServer) over a directory, for
// scripts/bench/portal-ftp. Single-file source program on the portal's class path:
//
//   BENCH_PASS=secret java -cp CP scripts/bench/PortalFtpBench.java ROOT USER
//
// ROOT/DEST is the one destination the user sees. Plain FTP, explicit and implicit FTPS listen on
// free loopback ports, printed as one line "PORTS ftp=N ftps=N implicit=N"; the server stops when
// stdin closes. The file system here is a minimal stand-in for the mover's (reads and uploads go
// straight to ROOT; no master, no accounting), so that the comparison with vsftpd measures the FTP
// adapter and FtpServer, not an in-memory store.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.ecpds.portal.ftp.FtpPortalSettings;
import org.ecpds.portal.ftp.PortalFtpServer;

public class PortalFtpBench {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String user = args[1];
    String pass = System.getenv("BENCH_PASS");
    PortalLogin login = new PortalLogin() {
      @Override
      public PortalFs password(String u, String p, String protocol, InetSocketAddress remote) throws LoginException {
        if (!user.equals(u) || !pass.equals(p)) throw new LoginException("wrong", null);
        return new DirFs(root, u, protocol, remote.getHostString());
      }

      @Override
      public PortalFs publicKey(String u, PublicKey k, String protocol, InetSocketAddress remote) throws LoginException {
        throw new LoginException("no keys", null);
      }
    };
    try (PortalFtpServer server = new PortalFtpServer(login, FtpPortalSettings.loopbackAnyPorts(),
        TlsMaterial.generate(List.of("localhost")), "bench")) {
      server.start();
      System.out.println("PORTS ftp=" + server.ftpPort() + " ftps=" + server.port() + " implicit=" + server.implicitPort());
      System.out.flush();
      while (System.in.read() >= 0) { /* until stdin closes */ }
    }
  }

  /** Everything allowed, files under root; no accounting. */
  record DirFs(Path root, String user, String protocol, String remoteAddress) implements PortalFs {
    Path local(FsPath p) {
      Path l = root;
      for (String s : p.segments()) l = l.resolve(s);
      return l;
    }

    FsEntry entry(FsPath p, Path l) throws IOException {
      boolean dir = Files.isDirectory(l);
      return new FsEntry(p, dir, dir ? 0 : Files.size(l), Files.getLastModifiedTime(l).toMillis(), "e");
    }

    @Override
    public FsEntry stat(FsPath path) throws FsException {
      try {
        return entry(path, local(path));
      } catch (IOException e) {
        throw new FsException(FsException.Kind.NOT_FOUND, path, "no such file");
      }
    }

    @Override
    public List<FsEntry> list(FsPath directory) throws FsException {
      List<FsEntry> out = new ArrayList<>();
      try (Stream<Path> s = Files.list(local(directory))) {
        for (Path l : s.sorted().toList()) out.add(entry(directory.child(l.getFileName().toString()), l));
      } catch (IOException e) {
        throw new FsException(FsException.Kind.NOT_FOUND, directory, "no such directory");
      }
      return out;
    }

    @Override
    public FsReader read(FsPath file) throws IOException {
      FsEntry e = stat(file);
      FileChannel ch = FileChannel.open(local(file), StandardOpenOption.READ);
      return new FsReader() {
        @Override public FsEntry entry() { return e; }
        @Override public int read(ByteBuffer dst, long position) throws IOException { return ch.read(dst, position); }
        @Override public void close() throws IOException { ch.close(); }
      };
    }

    @Override
    public FsUpload write(FsPath file) throws IOException {
      Path target = local(file);
      Path tmp = Files.createTempFile(target.getParent(), ".up", ".tmp");
      FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
      return new FsUpload() {
        long written;
        FsEntry committed;

        @Override public FsPath path() { return file; }
        @Override public long written() { return written; }
        @Override public boolean isOpen() { return ch.isOpen(); }

        @Override
        public int write(ByteBuffer src) throws IOException {
          int n = ch.write(src);
          written += n;
          return n;
        }

        @Override
        public FsEntry commit(Map<String, String> metadata) throws IOException { // no master here: metadata unused
          if (committed != null) return committed;
          ch.close();
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return committed = stat(file);
        }

        @Override
        public void close() throws IOException {
          ch.close();
          Files.deleteIfExists(tmp);
        }
      };
    }

    @Override
    public void delete(FsPath file) throws FsException {
      try {
        Files.delete(local(file));
      } catch (NoSuchFileException e) {
        throw new FsException(FsException.Kind.NOT_FOUND, file, "no such file");
      } catch (IOException e) {
        throw new FsException(FsException.Kind.DENIED, file, e.toString());
      }
    }

    @Override public void mkdir(FsPath d) throws FsException { throw new FsException(FsException.Kind.DENIED, d, "not here"); }
    @Override public void rmdir(FsPath d) throws FsException { throw new FsException(FsException.Kind.DENIED, d, "not here"); }
    @Override public void rename(FsPath a, FsPath b) throws FsException { throw new FsException(FsException.Kind.DENIED, a, "not here"); }
    @Override public void setModified(FsPath f, long m) throws FsException { throw new FsException(FsException.Kind.DENIED, f, "not here"); }
    @Override public boolean allowed(FsPermission p, FsPath path) { return true; }
    @Override public void close() {}
  }
}
