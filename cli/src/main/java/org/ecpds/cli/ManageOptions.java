package org.ecpds.cli;

import picocli.CommandLine.Option;

/** OpenECPDS's commands that manage what is already on the master instead of pushing: -requeue, -status, -scheduler. */
final class ManageOptions {
  @Option(names = {"-requeue", "--requeue"}, description = "Requeue the transfers of the data file given by -reqid.")
  boolean requeue;

  @Option(names = {"-status", "--status"},
      description = "Show a data file and its transfers (-reqid), a destination (-destination) or a group (-groupby).")
  boolean status;

  @Option(names = {"-json", "--json"}, description = "With -status or -scheduler -check: print JSON.")
  boolean json;

  @Option(names = {"-scheduler", "--scheduler"},
      description = "With -start, -stop or -check and -destination: release, hold or show the destination's scheduler.")
  boolean scheduler;

  @Option(names = {"-start", "--start"}, description = "With -scheduler: release (or restart) the destination.")
  boolean start;

  @Option(names = {"-stop", "--stop"}, description = "With -scheduler: hold the destination's transfers.")
  boolean stop;

  @Option(names = {"-check", "--check"},
      description = "With -scheduler: print the destination's state; exit 0 when it is running, 1 otherwise.")
  boolean check;

  /** -scheduler's one action. */
  enum SchedulerAction { START, STOP, CHECK }

  SchedulerAction schedulerAction() throws CliException {
    int n = (start ? 1 : 0) + (stop ? 1 : 0) + (check ? 1 : 0);
    if (n != 1) throw CliException.usage("-scheduler needs exactly one of -start, -stop or -check");
    return start ? SchedulerAction.START : stop ? SchedulerAction.STOP : SchedulerAction.CHECK;
  }

  /** -start/-stop/-check belong to -scheduler, -json to the queries. */
  void checkCombinations() throws CliException {
    if (!scheduler && (start || stop || check)) throw CliException.usage("-start, -stop and -check need -scheduler");
    int commands = (requeue ? 1 : 0) + (status ? 1 : 0) + (scheduler ? 1 : 0);
    if (commands > 1) throw CliException.usage("-requeue, -status and -scheduler cannot be combined");
    if (json && !status && !scheduler) throw CliException.usage("-json needs -status or -scheduler -check");
  }
}
