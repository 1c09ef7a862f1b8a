// Drives one ecpds transfer module (org.ecpds.mover.transfer) directly, without master or mover,
// for scripts/bench/modules. Run as a single-file source program on the launcher's class path:
//
//   BENCH_PASS=secret java -cp 'launcher/target/classes:launcher/target/lib/*' \
//       scripts/bench/ModuleBench.java METHOD ADDRESS PORT LOGIN [key=value...] -- COMMAND ARGS...
//
// The password comes from the environment (BENCH_PASS), never from the command line. Options
// (key=value) are the host options the module reads (e.g. s3.scheme=http, ftps.trustCert=FILE).
// Commands:
//   put LOCAL_FILE REMOTE_PATH [WARM_FILE]   one session: connect, put, close
//   get REMOTE_PATH LOCAL_FILE [WARM_FILE]   one session: connect, get (offset 0) into the file, close
//                                     WARM_FILE: first (untimed, in its own session) put it next to
//                                     REMOTE_PATH, read it back and delete it, so that the JIT is
//                                     warm as in a running mover
//   many LOCAL_DIR REMOTE_DIR SESSIONS WARMUP
//                                     untimed warm-up first (WARMUP files of LOCAL_DIR put to
//                                     REMOTE_DIR-warmup over one session, which also creates
//                                     REMOTE_DIR); then every regular file of LOCAL_DIR put to
//                                     REMOTE_DIR over SESSIONS sessions in parallel, each session
//                                     connected once and reused for all of its files
// Each command prints one line "RESULT key=value ...": seconds is connect + transfer + close
// (JVM start and compilation of this file excluded), connect_s the connect part of it.
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.proto.HostSpec;

public final class ModuleBench {
  private static final int COPY_BUFFER = 1 << 20;

  private static HostSpec host;
  private static Map<String, String> options;
  private static TransferModules modules;

  public static void main(String[] args) throws Exception {
    int sep = List.of(args).indexOf("--");
    if (sep < 4 || sep == args.length - 1) {
      System.err.println("usage: ModuleBench METHOD ADDRESS PORT LOGIN [key=value...] -- put|get|many ARGS...");
      System.exit(2);
    }
    options = new LinkedHashMap<>();
    for (int i = 4; i < sep; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("not key=value: " + args[i]);
      options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    String pass = System.getenv().getOrDefault("BENCH_PASS", "");
    host = HostSpec.newBuilder().setName("bench").setTransferMethod(args[0]).setAddress(args[1])
        .setPort(Integer.parseInt(args[2])).setLogin(args[3]).setPassword(pass).putAllOptions(options).build();
    modules = new TransferModules()
        .register(new org.ecpds.mover.transfer.sftp.SftpModuleFactory())
        .register(new org.ecpds.mover.transfer.scp.ScpModuleFactory())
        .register(new org.ecpds.mover.transfer.ftp.FtpModuleFactory())
        .register(new org.ecpds.mover.transfer.http.HttpModuleFactory())
        .register(new org.ecpds.mover.transfer.webdav.WebDavModuleFactory())
        .register(new org.ecpds.mover.transfer.s3.S3ModuleFactory());
    String cmd = args[sep + 1];
    String[] a = java.util.Arrays.copyOfRange(args, sep + 2, args.length);
    try {
      switch (cmd) {
        case "put" -> { if (a.length > 2) warm(Path.of(a[2]), a[1]); put(Path.of(a[0]), a[1]); }
        case "get" -> { if (a.length > 2) warm(Path.of(a[2]), a[0]); get(a[0], Path.of(a[1])); }
        case "many" -> many(Path.of(a[0]), a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]));
        default -> throw new IllegalArgumentException("unknown command " + cmd);
      }
    } finally {
      modules.close();
    }
    System.exit(0); // do not wait for client threads (MINA, okhttp) to wind down
  }

  private static TransferModule connect() throws Exception {
    TransferModule m = modules.create(host);
    m.connect(host, options);
    return m;
  }

  /** Untimed round trip of a warm-up file next to {@code remote}: put, read back, delete. */
  private static void warm(Path local, String remote) throws Exception {
    String path = remote + ".warmup";
    long t0 = System.nanoTime();
    try (TransferModule m = connect()) {
      putOne(m, local, path);
      try (InputStream in = m.get(path, 0)) {
        byte[] buf = new byte[COPY_BUFFER];
        while (in.read(buf) >= 0) {
          // discard
        }
      }
      m.delete(path);
    }
    System.out.printf("WARMUP bytes=%d seconds=%.3f%n", Files.size(local), (System.nanoTime() - t0) / 1e9);
  }

  private static void put(Path local, String remote) throws Exception {
    long size = Files.size(local);
    long t0 = System.nanoTime();
    long t1;
    long written;
    try (TransferModule m = connect()) {
      t1 = System.nanoTime();
      try (InputStream in = Files.newInputStream(local)) {
        written = m.put(in, size, remote, ProgressListener.NONE);
      }
    }
    long t2 = System.nanoTime();
    if (written != size) throw new IOException("put wrote " + written + " of " + size + " bytes");
    result("put", written, t2 - t0, t1 - t0, "");
  }

  private static void get(String remote, Path local) throws Exception {
    long t0 = System.nanoTime();
    long t1;
    long total = 0;
    try (TransferModule m = connect()) {
      t1 = System.nanoTime();
      try (InputStream in = m.get(remote, 0);
          OutputStream out = Files.newOutputStream(local, StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[COPY_BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          total += n;
        }
      }
    }
    long t2 = System.nanoTime();
    result("get", total, t2 - t0, t1 - t0, "");
  }

  private static void many(Path dir, String remoteDir, int sessions, int warmup) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    if (files.isEmpty()) throw new IOException("no files in " + dir);
    String base = remoteDir.replaceAll("/+$", "");
    // warm-up (untimed): the JIT of a long-running mover is warm; also creates the target directory
    long tw = System.nanoTime();
    try (TransferModule m = connect()) {
      m.mkdirs(base);
      for (int i = 0; i < Math.min(warmup, files.size()); i++) {
        putOne(m, files.get(i), base + "-warmup/" + files.get(i).getFileName());
      }
    }
    double warmS = (System.nanoTime() - tw) / 1e9;

    List<List<Path>> parts = new ArrayList<>();
    for (int i = 0; i < sessions; i++) parts.add(new ArrayList<>());
    for (int i = 0; i < files.size(); i++) parts.get(i % sessions).add(files.get(i));
    ExecutorService pool = Executors.newFixedThreadPool(sessions);
    long t0 = System.nanoTime();
    List<Future<long[]>> done = new ArrayList<>();
    for (List<Path> part : parts) {
      done.add(pool.submit(() -> {
        long c0 = System.nanoTime();
        long bytes = 0;
        long connectNs;
        try (TransferModule m = connect()) {
          connectNs = System.nanoTime() - c0;
          for (Path f : part) bytes += putOne(m, f, base + "/" + f.getFileName());
        }
        return new long[] {bytes, connectNs};
      }));
    }
    long bytes = 0;
    long maxConnect = 0;
    for (Future<long[]> f : done) {
      long[] r = f.get();
      bytes += r[0];
      maxConnect = Math.max(maxConnect, r[1]);
    }
    long t1 = System.nanoTime();
    pool.shutdown();
    result("many", bytes, t1 - t0, maxConnect,
        String.format(" files=%d sessions=%d warmup_files=%d warmup_s=%.3f files_per_s=%.1f",
            files.size(), sessions, Math.min(warmup, files.size()), warmS, files.size() / ((t1 - t0) / 1e9)));
  }

  private static long putOne(TransferModule m, Path f, String remote) throws Exception {
    try (InputStream in = Files.newInputStream(f)) {
      return m.put(in, Files.size(f), remote, ProgressListener.NONE);
    }
  }

  private static void result(String what, long bytes, long ns, long connectNs, String extra) {
    double s = ns / 1e9;
    System.out.printf("RESULT op=%s method=%s bytes=%d seconds=%.3f connect_s=%.3f mb_per_s=%.1f%s%n",
        what, host.getTransferMethod(), bytes, s, connectNs / 1e9, bytes / 1e6 / s, extra);
  }
}
