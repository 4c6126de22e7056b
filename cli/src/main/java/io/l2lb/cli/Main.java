package io.l2lb.cli;

import io.l2lb.cli.cmd.CompleteCommand;
import io.l2lb.cli.cmd.CompletionCommand;
import io.l2lb.cli.cmd.CreateCommand;
import io.l2lb.cli.cmd.ExposeCommand;
import io.l2lb.cli.cmd.InstallCommand;
import io.l2lb.cli.cmd.SimulateCommand;
import io.l2lb.cli.cmd.StatusCommand;
import io.l2lb.cli.cmd.UninstallCommand;
import io.l2lb.cli.cmd.ValidateCommand;
import io.l2lb.cli.cmd.VersionCommand;
import io.l2lb.cli.cmd.WhereCommand;
import io.l2lb.cli.kube.ApiException;
import io.l2lb.cli.out.Term;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl l2lb}: the entry point. One exception handler maps every failure to one line on
 * stderr and a documented exit code (0 ok, 1 runtime error, 2 usage, 3 validation findings); stack
 * traces only with {@code -v}.
 */
@Command(
    name = "kubectl l2lb",
    description =
        "Several public IPs per LoadBalancer Service, announced by ARP/NDP from different nodes.",
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    versionProvider = Main.ClientVersion.class,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:runtime error (cluster unreachable, not installed, forbidden, not found, ...)",
      "2:usage error (bad flag or argument)",
      "3:validation findings (validate, create --dry-run)"
    })
public final class Main implements Runnable {

  /**
   * The commands, registered with picocli on demand: building picocli's model of a command class
   * (reflection, annotation proxies) is most of a cold start, so a run registers only the command
   * it runs; help, completion and unknown commands get them all.
   */
  static final Map<String, Class<?>> COMMANDS = new java.util.LinkedHashMap<>();

  static {
    COMMANDS.put("create", CreateCommand.class);
    COMMANDS.put("validate", ValidateCommand.class);
    COMMANDS.put("expose", ExposeCommand.class);
    COMMANDS.put("where", WhereCommand.class);
    COMMANDS.put("simulate", SimulateCommand.class);
    COMMANDS.put("status", StatusCommand.class);
    COMMANDS.put("install", InstallCommand.class);
    COMMANDS.put("uninstall", UninstallCommand.class);
    COMMANDS.put("completion", CompletionCommand.class);
    COMMANDS.put("__complete", CompleteCommand.class);
    COMMANDS.put("__train", io.l2lb.cli.cmd.TrainCommand.class);
    COMMANDS.put("version", VersionCommand.class);
    COMMANDS.put("help", CommandLine.HelpCommand.class);
  }

  /** Global options that take a value, to find the command name behind them. */
  private static final java.util.Set<String> VALUED =
      java.util.Set.of(
          "--kubeconfig", "--context", "-n", "--namespace", "-o", "--output", "--request-timeout");

  /** The command a run names, or null (then every command is registered). */
  static String commandOf(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (VALUED.contains(a)) {
        i++;
      } else if (a.startsWith("-")) {
        if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
          return null;
        }
      } else {
        // help and completion (both the scripts and __complete) need every command
        return COMMANDS.containsKey(a)
                && !a.equals("__complete")
                && !a.equals("help")
                && !a.equals("completion")
            ? a
            : null;
      }
    }
    return null;
  }

  @Mixin public GlobalOptions global;
  @Spec CommandSpec spec;

  private Ctx ctx;

  /** The context of the current run, for the command objects. */
  public static Ctx ctx(CommandSpec anySpec) {
    return ((Main) anySpec.root().userObject()).ctx;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "no command given: try `kubectl l2lb where -A` or see --help");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = execute(args, out, err, System.in, System.getenv(), Term.system(System.getenv()));
    out.flush();
    err.flush();
    // No thread of ours is left in native code (Http1 works on this thread): System.exit would
    // otherwise wait up to 300 ms for such threads.
    System.exit(code);
  }

  /** One run, in-process: what tests call. */
  public static int execute(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Map<String, String> env,
      Term term) {
    Main main = new Main();
    CommandLine cl = new CommandLine(main);
    String only = commandOf(args);
    for (Map.Entry<String, Class<?>> c : COMMANDS.entrySet()) {
      if (only == null || only.equals(c.getKey())) {
        cl.addSubcommand(c.getKey(), c.getValue());
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(
        (ex, args2) -> {
          CommandLine c = ex.getCommandLine();
          err.println("error: " + ex.getMessage());
          err.println("See '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
          err.flush();
          return CliError.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          boolean verbose = main.global != null && main.global.verbose;
          return report(ex, err, verbose);
        });
    // picocli made the mixin object in new CommandLine(main); parsing fills in its fields
    main.ctx = new Ctx(out, err, in, env, main.global, term);
    if (args.length > 0 && args[0].equals("__complete")) {
      // the words are the user's half-typed command line: never parse them as our options
      for (String line :
          CompleteCommand.complete(
              cl, java.util.Arrays.asList(args).subList(1, args.length), main.ctx)) {
        out.println(line);
      }
      out.flush();
      return 0;
    }
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static int report(Exception ex, PrintWriter err, boolean verbose) {
    String message;
    int code;
    if (ex instanceof CliError e) {
      message = e.getMessage();
      code = e.exitCode();
    } else if (ex instanceof ApiException e) {
      message = Errors.describe(e);
      code = CliError.RUNTIME;
    } else if (ex instanceof CommandLine.ParameterException e) {
      message = e.getMessage();
      code = CliError.USAGE;
    } else {
      message = "unexpected failure: " + ex + (verbose ? "" : " (run with -v for details)");
      code = CliError.RUNTIME;
    }
    err.println("error: " + message);
    if (verbose) {
      StringWriter sw = new StringWriter();
      ex.printStackTrace(new PrintWriter(sw));
      err.print(sw);
    }
    err.flush();
    return code;
  }

  /** {@code --version}. */
  public static final class ClientVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kubectl-l2lb " + Version.CLIENT};
    }
  }
}
