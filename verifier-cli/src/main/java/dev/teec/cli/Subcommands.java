package dev.teec.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The subcommands of a command, each built only when needed. Picocli builds a command's model by
 * reflection over its annotations, which for a whole command tree was about a third of a
 * one-document {@code teec-verify doc} call (bench/README.md); a command line that names a
 * subcommand first needs that one alone. Anything else (no arguments, {@code --help}, a misspelt
 * name) gets every subcommand, so that help, errors and suggestions list them all.
 */
final class Subcommands {
  private record Entry(String name, Supplier<Object> command) {}

  private final List<Entry> entries = new ArrayList<>();

  /**
   * Adds a subcommand.
   *
   * @param name the name its {@code @Command} (or its {@code CommandLine}) gives it; checked when
   *     it is built
   * @param command builds the command: its annotated object, its model ({@code CommandSpec}) or its
   *     {@code CommandLine}
   * @return this
   */
  Subcommands add(String name, Supplier<Object> command) {
    entries.add(new Entry(name, command));
    return this;
  }

  /**
   * Adds to {@code parent} the subcommand {@code args} start with, or every subcommand when they
   * start with none.
   *
   * @param parent the command to add to
   * @param args the arguments {@code parent} will parse
   * @return {@code parent}
   * @throws IllegalStateException if a subcommand's name is not the one it was added under
   */
  CommandLine addTo(CommandLine parent, String[] args) {
    List<Entry> chosen = entries;
    for (Entry entry : entries) {
      if (args.length > 0 && entry.name().equals(args[0])) {
        chosen = List.of(entry);
      }
    }
    for (Entry entry : chosen) {
      Object command = entry.command().get();
      CommandLine sub =
          command instanceof CommandLine c ? c : new CommandLine(command, parent.getFactory());
      if (!sub.getCommandName().equals(entry.name())) {
        throw new IllegalStateException(
            "subcommand " + sub.getCommandName() + " added as " + entry.name());
      }
      parent.addSubcommand(sub);
    }
    return parent;
  }

  /** The arguments after the first (the subcommand's own), or none. */
  static String[] rest(String[] args) {
    return args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
  }
}
