package dev.teec.cli;

import java.util.List;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Building blocks for picocli command models written as code rather than read from annotations.
 *
 * <p>{@code teec-verify}, its {@code doc} command and the option sets {@code doc} shares with other
 * commands are built this way. Reading annotations makes the JDK generate a proxy class per
 * annotation type, which the JDK 17 class-data sharing archive cannot hold, and parse every
 * annotated member: about a fifth of the instructions of a one-document call, picocli's own
 * annotated standard help options included. Annotated commands take the shared option sets as
 * {@code @Mixin CommandSpec} fields ({@link #mixin}). Options keep their values in their own
 * binding ({@link OptionSpec#getValue()}).
 */
public final class CommandModels {
  /** The prefix of the standard help options' description keys, as picocli's own. */
  private static final String STANDARD_HELP = "mixinStandardHelpOptions";

  private CommandModels() {}

  /**
   * An option without a parameter: false unless given.
   *
   * @param names the option's names
   * @return a builder to add the description to
   */
  public static OptionSpec.Builder flag(String... names) {
    return OptionSpec.builder(names).type(boolean.class).initialValue(false);
  }

  /**
   * A repeatable option, collected into a list.
   *
   * @param element the type of each value
   * @param names the option's names
   * @return a builder to add the parameter label and description to
   */
  public static OptionSpec.Builder repeatable(Class<?> element, String... names) {
    return OptionSpec.builder(names).type(List.class).auxiliaryTypes(element);
  }

  /** Whether a {@link #flag} was given. */
  public static boolean isSet(OptionSpec flag) {
    return Boolean.TRUE.equals(flag.getValue());
  }

  /**
   * The values of a {@link #repeatable} option or a multi-value positional parameter, in
   * command-line order; empty when not given.
   */
  public static <T> List<T> values(ArgSpec repeatable) {
    List<T> values = repeatable.getValue();
    return values == null ? List.of() : values;
  }

  /**
   * A mixin holding {@code options}, for an annotated command to take as the value of a
   * {@code @Mixin CommandSpec} field. A command built in code adds the options themselves instead:
   * every {@code CommandSpec} compiles picocli's regular expressions for negatable options anew,
   * which costs a one-document call more than adding a dozen options.
   */
  public static CommandSpec mixin(List<OptionSpec> options) {
    return addAll(CommandSpec.create(), options);
  }

  /**
   * Adds {@code options} to {@code command}, in order.
   *
   * @return {@code command}
   */
  static CommandSpec addAll(CommandSpec command, List<OptionSpec> options) {
    // A loop, not a method reference to CommandSpec: see CliSupport.Handlers.
    for (OptionSpec option : options) {
      command.addOption(option);
    }
    return command;
  }

  /**
   * The command whose command line an option of a {@link #mixin} was given on: the mixin's options
   * belong to the command they were last added to.
   */
  public static CommandSpec mixee(OptionSpec option) {
    return option.command();
  }

  /**
   * Gives {@code spec} what {@code @Command(mixinStandardHelpOptions = true, versionProvider =
   * VersionProvider.class, exitCodeListHeading = ..., exitCodeList = ...)} gives every teec
   * command: {@code -h}/{@code --help} and {@code -V}/{@code --version} (named and described as
   * picocli's own standard help options, but added as options, not as a mixin: see {@link #mixin}),
   * the version, and the list of exit codes. Call it after adding the command's other options:
   * picocli adds the standard help options last too.
   */
  static CommandSpec standardHelp(CommandSpec spec) {
    spec.versionProvider(new VersionProvider());
    UsageMessageSpec usage = spec.usageMessage();
    usage.exitCodeListHeading(CliSupport.EXIT_HEADING);
    usage.exitCodeList(
        UsageMessageSpec.keyValuesMap(
            CliSupport.EXIT_OK,
            CliSupport.EXIT_REJECTED,
            CliSupport.EXIT_USAGE,
            CliSupport.EXIT_INTERNAL));
    spec.addOption(
        OptionSpec.builder("${picocli.help.name.0:--h}", "${picocli.help.name.1:---help}")
            .usageHelp(true)
            .descriptionKey(STANDARD_HELP + ".help")
            .description("Show this help message and exit.")
            .type(boolean.class)
            .initialValue(false)
            .build());
    spec.addOption(
        OptionSpec.builder("${picocli.version.name.0:--V}", "${picocli.version.name.1:---version}")
            .versionHelp(true)
            .descriptionKey(STANDARD_HELP + ".version")
            .description("Print version information and exit.")
            .type(boolean.class)
            .initialValue(false)
            .build());
    return spec;
  }
}
