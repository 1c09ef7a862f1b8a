package org.ecpds.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code ecpds}: pushes a file to a destination and prints its DataFile id once it is durably
 * stored. Errors are one line on stderr prefixed "ecpds: "; stdout carries only the id (or the
 * version/help), so scripts can capture it. See {@link ExitCodes}.
 */
@Command(name = "ecpds", sortOptions = false, usageHelpAutoWidth = true,
    synopsisHeading = "Usage: ",
    customSynopsis = {"ecpds -destination NAME [-source FILE | -target NAME] [options]",
        "       ecpds -destination NAME -groupby GROUP (-source HOST:PATH | -index FILE) [-noretrieval] [options]",
        "       ecpds -destination NAME -batch LIST [-parallel N] [options]",
        "       ecpds -waitfor GROUP [-timeout DURATION] [-interval DURATION]",
        "       ecpds -purge -reqid ID [-user USER] [-echost HOST] [-ecport PORT]",
        "       ecpds -requeue -reqid ID",
        "       ecpds -status (-reqid ID | -destination NAME | -groupby GROUP) [-json]",
        "       ecpds -scheduler (-start | -stop | -check) -destination NAME [-json]",
        "       ecpds (-expected | -started | -completed | -reset) [-at TIME] -metadata stream=S,time=T,step=N[,type=X]",
        "       ecpds -version [-echost HOST] [-ecport PORT] [-cacert FILE]",
        "       ecpds config export [-o FILE] | ecpds config apply FILE [-dryrun]   (see ecpds config -help)"},
    description = {"", "Pushes a file (or standard input) to an ECPDS destination and prints its DataFile id "
        + "once the content is durably stored.", ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stored; the DataFile id is on stdout (-batch: every file, ID<TAB>PATH each); -requeue, -status, "
            + "-scheduler done (-scheduler -check: the scheduler is running)",
        "1:the master or the data mover refused or failed (authentication, permission, unknown destination, "
            + "no mover online, upload failure, nothing to requeue); -scheduler -check: held, stopped or disabled",
        "2:invalid options or unreadable local input; nothing was sent",
        "3:cannot connect to the master or mover (refused, unknown host, timeout, untrusted TLS certificate)",
        "4:the file was sent but the answer was lost: it may or may not be stored (stderr names its DataFile id)",
        "5:-waitfor: the group was not fetched within -timeout"},
    footerHeading = "%nEnvironment:%n",
    footer = {"  ECPDS_USER, ECPDS_PASS  user and password (when -user/-pass are absent)",
        "  EC_job_stdout           -caller (when -caller is absent)",
        "  ECPDS_CACERT            master certificate PEM file (when -cacert is absent)"})
public final class Ecpds implements Callable<Integer> {
  @Mixin PushOptions push;
  @Mixin ConnectionOptions connection;
  @Mixin GroupOptions group;
  @Mixin BatchOptions batch;
  @Mixin PushExtras extras;
  @Mixin ManageOptions manage;
  @Mixin ProductOptions product;

  @Option(names = {"-version", "--version"}, description = "Print the client and the master versions.")
  boolean version;

  @Option(names = {"-purge", "--purge"}, description = "Purge the data file given by -reqid (needs delete permission).")
  boolean purge;

  @Option(names = {"-reqid", "--reqid"}, paramLabel = "ID", description = "DataFile id (with -purge, -requeue, -status).")
  Long reqid;

  @Option(names = {"-debug", "--debug"}, description = "Print stack traces of failures.")
  boolean debug;

  @Option(names = {"-help", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  private final Io io;

  Ecpds(Io io) {
    this.io = io;
  }

  public static void main(String[] args) {
    System.exit(run(args, Io.system()));
  }

  /** Runs the command without exiting; stdin and the environment are the process's own. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, new Io(System.in, out, err, System::getenv, prompt -> null));
  }

  /** Runs the command with the given stdin and environment lookup, no terminal prompt; for tests and embedding. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Function<String, String> env) {
    return run(args, new Io(in, out, err, env, prompt -> null));
  }

  static int run(String[] args, Io io) {
    CommandLine cl = new CommandLine(new Ecpds(io), new CommandFactory());
    cl.addSubcommand("config", new ConfigCommand(io));
    // like OpenECPDS's parser: a repeated option overrides the earlier one (wrapper scripts rely on it)
    cl.setOverwrittenOptionsAllowed(true);
    cl.setOut(writer(io.out()));
    cl.setErr(writer(io.err()));
    cl.setParameterExceptionHandler(Ecpds::usageError);
    cl.setExecutionExceptionHandler(Ecpds::failure);
    int code = cl.execute(args);
    io.out().flush();
    io.err().flush();
    return code;
  }

  @Override
  public Integer call() throws CliException {
    if (version) return printVersions();
    checkIncompatible();
    if (purge) return purgeDataFile();
    if (manage.requeue) {
      long id = requireReqid("-requeue");
      return operations().requeue(id);
    }
    if (manage.status) return status();
    if (manage.scheduler) return scheduler();
    String productStatus = product.requested();
    if (productStatus != null) return productStatus(productStatus);
    group.checkCombinations();
    if (group.waitFor != null) return waitForGroup();
    if (group.registers()) return registerForRetrieval();
    if (batch.requested()) return pushBatch();
    PushOptions.Push p = push.validate(io);
    if (extras.remove && push.source == null) throw CliException.usage("-remove needs -source (standard input cannot be removed)");
    Credentials who = connection.credentials(io);
    long id = pusher(who).push(new PushOptions.Push(p.registration(), Progress.onTerminal(p.source(), io.err())));
    io.out().println(id);
    if (extras.remove) removeSource();
    return ExitCodes.OK;
  }

  /** OpenECPDS's incompatible flags, refused before anything is sent. */
  private void checkIncompatible() throws CliException {
    manage.checkCombinations();
    if (group.force && manage.requeue) throw CliException.usage("-force cannot be used with -requeue");
    if (purge && (group.force || manage.requeue)) throw CliException.usage("-purge cannot be used with -force or -requeue");
    if (group.groupBy != null && extras.remove) throw CliException.usage("-groupby cannot be used with -remove");
    if (extras.remove && (batch.requested() || manage.requeue || manage.status || manage.scheduler || purge)) {
      throw CliException.usage("-remove only applies to the push of one -source file");
    }
    if (product.requested() != null && (purge || manage.requeue || manage.status || manage.scheduler)) {
      throw CliException.usage("-expected, -started, -completed and -reset cannot be combined with -purge, -requeue, "
          + "-status or -scheduler");
    }
    extras.tries();
    extras.tryDelay();
  }

  /** -remove: the file is stored (its id printed), so a failure to delete it is a warning, not a failed push. */
  private void removeSource() {
    try {
      java.nio.file.Files.delete(push.source);
      if (extras.verbose) io.err().println("ecpds: removed " + push.source);
    } catch (java.io.IOException e) {
      io.err().println("ecpds: warning: stored, but cannot remove " + push.source + ": " + LocalFiles.reason(e));
    }
  }

  private long requireReqid(String option) throws CliException {
    if (reqid == null || reqid <= 0) throw CliException.usage(option + " needs -reqid <DataFile id>");
    return reqid;
  }

  private Operations operations() throws CliException {
    Credentials who = connection.credentials(io);
    return new Operations(new MasterClient(connection.endpoint(), connection.trust(io), connection.connectTimeout()), who,
        io.out());
  }

  /** -status of exactly one thing: -reqid, -destination or -groupby. */
  private int status() throws CliException {
    boolean byFile = reqid != null;
    boolean byDestination = push.destination != null;
    boolean byGroup = group.groupBy != null;
    if ((byFile ? 1 : 0) + (byDestination ? 1 : 0) + (byGroup ? 1 : 0) != 1) {
      throw CliException.usage("-status needs exactly one of -reqid, -destination or -groupby");
    }
    if (byFile) {
      long id = requireReqid("-status");
      return operations().dataFileStatus(id, manage.json);
    }
    if (byDestination) {
      if (push.destination.isBlank()) throw CliException.usage("-destination must not be empty");
      return operations().destinationStatus(push.destination.trim(), manage.json);
    }
    if (group.groupBy.isBlank()) throw CliException.usage("-groupby must not be empty");
    return operations().groupStatus(group.groupBy.trim(), manage.json);
  }

  /** -expected/-started/-completed/-reset: the product status on the master (POST /product/status). */
  private int productStatus(String status) throws CliException {
    if (push.destination != null || push.source != null || group.groupBy != null || batch.requested()) {
      throw CliException.usage("-" + status + " records a product status; it takes no -destination, -source, -groupby "
          + "or -batch");
    }
    java.util.Map<String, Object> body = ProductOptions.body(status, PushOptions.parseMetadata(push.metadata),
        PushOptions.parseAt(push.at, push.format));
    return operations().productStatus(body);
  }

  private int scheduler() throws CliException {
    ManageOptions.SchedulerAction action = manage.schedulerAction();
    if (push.destination == null || push.destination.isBlank()) throw CliException.usage("-scheduler needs -destination");
    if (manage.json && action != ManageOptions.SchedulerAction.CHECK) throw CliException.usage("-json needs -scheduler -check");
    return operations().scheduler(push.destination.trim(), action, manage.json);
  }

  /** -batch LIST: every listed file checked first, then pushed -parallel at a time; ID<TAB>PATH per stored file. */
  private int pushBatch() throws CliException {
    batch.check(push);
    if (group.groupBy != null) throw CliException.usage("-batch pushes files; it cannot be combined with -groupby");
    push.checkCommon();
    List<PushOptions.Push> pushes = new java.util.ArrayList<>();
    for (BatchOptions.Entry e : batch.entries(io)) {
      try {
        pushes.add(push.batchFile(e.path(), e.target()));
      } catch (CliException bad) {
        throw CliException.usage(batch.where(e.line()) + ": " + bad.getMessage());
      }
    }
    // kept-alive connections to the master and the mover: one per parallel push (the JDK keeps 5 by default)
    if (batch.parallel > 5 && System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", Integer.toString(batch.parallel));
    }
    return new BatchPush(pusher(connection.credentials(io)), io, batch.parallel).run(pushes);
  }

  private Pusher pusher(Credentials who) throws CliException {
    MasterClient master = new MasterClient(connection.endpoint(), connection.trust(io), connection.connectTimeout());
    Uploader uploader = new Uploader(connection.connectTimeout(), extras.caller(io));
    return new Pusher(master, who, uploader, connection.arrivalTimeout(), extras.tries(), extras.tryDelay(),
        extras.verbose ? io.err() : null);
  }

  /** -groupby: each source registered for retrieval (nothing is uploaded); one DataFile id per line. */
  private int registerForRetrieval() throws CliException {
    List<PresetRegistration> all = push.presets(group.sources(push.source, push.target), group);
    Credentials who = connection.credentials(io);
    MasterClient master = new MasterClient(connection.endpoint(), connection.trust(io), connection.connectTimeout());
    if (all.size() == 1) {
      io.out().println(master.put(who, all.get(0)));
      return ExitCodes.OK;
    }
    // -index: batches of the master's maximum, each one transaction; the ids of committed batches are printed
    for (int from = 0; from < all.size(); from += MasterClient.MAX_BATCH) {
      for (long id : master.putAll(who, all.subList(from, Math.min(all.size(), from + MasterClient.MAX_BATCH)))) {
        io.out().println(id);
      }
    }
    return ExitCodes.OK;
  }

  /** -waitfor GROUP: 0 once every member is fetched, 1 when one failed, 5 at -timeout. */
  private int waitForGroup() throws CliException {
    if (group.waitFor.isBlank()) throw CliException.usage("-waitfor needs a group name");
    Credentials who = connection.credentials(io);
    MasterClient master = new MasterClient(connection.endpoint(), connection.trust(io), connection.connectTimeout());
    return new GroupWaiter(wait -> master.group(who, group.waitFor, wait), group.timeout(), group.interval(), io.err())
        .await(group.waitFor);
  }

  /** -purge -reqid N: the master stops the file's transfers and removes it; prints the id. */
  private int purgeDataFile() throws CliException {
    if (reqid == null || reqid <= 0) throw CliException.usage("-purge needs -reqid <DataFile id>");
    Credentials who = connection.credentials(io);
    new MasterClient(connection.endpoint(), connection.trust(io), connection.connectTimeout()).purge(who, reqid);
    io.out().println(reqid);
    return ExitCodes.OK;
  }

  private int printVersions() throws CliException {
    io.out().println("ecpds client " + ClientVersion.get());
    io.out().flush();
    MasterClient master = new MasterClient(connection.endpoint(), connection.trust(io), connection.connectTimeout());
    io.out().println("ecpds master " + master.version() + " at " + connection.endpoint());
    return ExitCodes.OK;
  }

  private static int usageError(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("ecpds: " + e.getMessage() + " (see ecpds -help)");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int failure(Exception e, CommandLine cl, ParseResult parsed) {
    CommandLine root = cl;
    while (root.getParent() != null) root = root.getParent(); // a subcommand's failure too
    Ecpds cmd = root.getCommand();
    PrintStream err = cmd.io.err();
    if (e instanceof CliException c) {
      err.println("ecpds: " + c.getMessage());
      if (cmd.debug && c.getCause() != null) c.getCause().printStackTrace(err);
      return c.exitCode();
    }
    err.println("ecpds: unexpected error: " + e + (cmd.debug ? "" : " (use -debug for details)"));
    if (cmd.debug) e.printStackTrace(err);
    return ExitCodes.REFUSED;
  }

  private static PrintWriter writer(PrintStream s) {
    return new PrintWriter(new java.io.OutputStreamWriter(s, Charset.defaultCharset()), true);
  }
}
