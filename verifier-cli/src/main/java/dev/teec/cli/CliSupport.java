package dev.teec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every teec command shares: the exit codes, and error handling that turns bad input into one
 * readable line instead of a stack trace.
 */
public final class CliSupport {
  /** Every input verified. */
  public static final int OK = 0;

  /**
   * At least one input was rejected, including inputs that are not attestation documents at all.
   */
  public static final int REJECTED = 1;

  /** The command line was wrong, or a file it names could not be read. */
  public static final int USAGE = 2;

  /** A bug or an environment failure: the verdicts printed so far are not the complete answer. */
  public static final int INTERNAL = 3;

  // The help text of every command lists these; picocli needs them as compile-time constants.
  public static final String EXIT_OK = "0:every input verified";
  public static final String EXIT_REJECTED =
      "1:at least one input was rejected (also when it is not a document at all)";
  public static final String EXIT_USAGE =
      "2:usage error, or an input, policy or root file cannot be read";
  public static final String EXIT_INTERNAL = "3:internal error";
  public static final String EXIT_HEADING = "%nExit codes:%n";

  /** Hidden option, accepted by every leaf command, that adds stack traces to error messages. */
  public static final String STACKTRACE = "--stacktrace";

  /**
   * How the last line of every rejection starts: a usage error, a failed verification, a failed
   * build or check of any command ends with one line saying what to do next.
   */
  public static final String NEXT = "Next: ";

  private CliSupport() {}

  /**
   * Prepares the JVM of a command's {@code main}; call it before building the command. Picocli's
   * default factory looks for Groovy's {@code Closure} class once per JVM, which searches the whole
   * jar for a class it does not hold and throws; no teec command is written in Groovy.
   */
  static void prepareMain() {
    System.setProperty("picocli.disable.closures", "true");
  }

  /** Prints the closing line of a rejection, {@code Next: <step>}, on {@code err}. */
  public static void next(PrintWriter err, String step) {
    err.println(NEXT + step);
    err.flush();
  }

  /**
   * A usage error (exit {@link #USAGE}) whose closing line is {@code next} instead of the general
   * pointer to the command's {@code --help}.
   */
  public static ParameterException usage(CommandLine commandLine, String message, String next) {
    return new UsageError(commandLine, message, next);
  }

  /** The general next step after a usage error: the command's help. */
  public static String seeHelp(CommandLine commandLine) {
    return "see '" + commandLine.getCommandSpec().qualifiedName() + " --help'";
  }

  /** A usage error that knows a better next step than the command's help. */
  private static final class UsageError extends ParameterException {
    private static final long serialVersionUID = 1L;
    private final String next;

    UsageError(CommandLine commandLine, String message, String next) {
      super(commandLine, message);
      this.next = next;
    }
  }

  /**
   * Installs the shared error handling on {@code commandLine} and every subcommand it has now; call
   * it after the command tree is complete.
   */
  static CommandLine configure(CommandLine commandLine) {
    Handlers handlers = new Handlers();
    commandLine.setParameterExceptionHandler(handlers);
    commandLine.setExecutionExceptionHandler(handlers);
    return commandLine;
  }

  /**
   * The error handlers as a class, not as method references. Picocli's classes are Java 5 bytecode,
   * and when the class-data sharing archive is made (JDK 17) resolving a lambda of one of its
   * interfaces links that interface, which then cannot be archived, nor can the lambda, nor
   * picocli's own implementations of the interface: each start would load and link them anew.
   */
  private static final class Handlers
      implements IParameterExceptionHandler, IExecutionExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      return handleUsageError(ex, args);
    }

    @Override
    public int handleExecutionException(
        Exception ex, CommandLine commandLine, ParseResult parseResult) {
      return handleInternalError(ex, commandLine, parseResult);
    }
  }

  /**
   * Runs {@code commandLine} like {@link CommandLine#execute}, but also maps a JVM {@link Error} to
   * {@link #INTERNAL}: left uncaught it would exit with 1, which callers would read as "rejected".
   */
  static int execute(CommandLine commandLine, String[] args) {
    try {
      return commandLine.execute(args);
    } catch (Error e) {
      PrintWriter err = commandLine.getErr();
      reportInternal(
          err, commandLine.getCommandName(), e, Arrays.asList(args).contains(STACKTRACE));
      return INTERNAL;
    }
  }

  /** A short reason for an I/O failure: the exception's own message often is only the path. */
  public static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static int handleUsageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    if (Arrays.asList(args).contains(STACKTRACE)) {
      ex.printStackTrace(err);
    }
    err.println(name + ": " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.print("Usage: " + cmd.getHelp().synopsis(0));
    next(err, ex instanceof UsageError u ? u.next : seeHelp(cmd));
    return USAGE;
  }

  private static int handleInternalError(Exception ex, CommandLine cmd, ParseResult parseResult) {
    OptionSpec stacktrace = cmd.getCommandSpec().findOption(STACKTRACE);
    boolean trace = stacktrace != null && Boolean.TRUE.equals(stacktrace.getValue());
    reportInternal(cmd.getErr(), cmd.getCommandSpec().qualifiedName(), ex, trace);
    return INTERNAL;
  }

  private static void reportInternal(PrintWriter err, String name, Throwable t, boolean trace) {
    err.println(name + ": internal error: " + t);
    if (trace) {
      t.printStackTrace(err);
    } else {
      next(err, "run again with " + STACKTRACE + " to see where it happened, and report it");
    }
    err.flush();
  }
}
