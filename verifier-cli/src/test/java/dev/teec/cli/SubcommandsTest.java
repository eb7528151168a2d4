package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A command line that starts with a subcommand gets a tree of that subcommand alone; it must behave
 * exactly as the whole tree does, and anything else must still see every subcommand.
 */
class SubcommandsTest {
  @Command(name = "root")
  static final class Root {}

  @Command(name = "one")
  static final class One {}

  @Command(name = "two")
  static final class Two {}

  private static CommandLine tree(String... args) {
    return new Subcommands()
        .add("one", One::new)
        .add("two", Two::new)
        .addTo(new CommandLine(new Root()), args);
  }

  @Test
  void addTo_namedSubcommand_buildsThatOneAlone() {
    assertThat(tree("two", "x").getSubcommands()).containsOnlyKeys("two");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "tw", "x", "@args.txt"})
  void addTo_noSubcommandFirst_buildsEverySubcommand(String first) {
    assertThat(tree(first, "two").getSubcommands()).containsOnlyKeys("one", "two");
    assertThat(tree().getSubcommands()).containsOnlyKeys("one", "two");
  }

  @Test
  void addTo_nameDiffersFromTheCommands_throws() {
    Subcommands wrong = new Subcommands().add("three", One::new);
    assertThatThrownBy(() -> wrong.addTo(new CommandLine(new Root()), new String[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("subcommand one added as three");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "doc --help",
        "bundle --help",
        "doc --bogus x.cbor",
        "doc",
        "--help",
        "dco x.cbor",
        "--version"
      })
  void teecVerify_namedSubcommandAlone_behavesAsTheWholeTree(String line) {
    String[] args = line.split(" ");
    CliRun whole = CliRun.run(TeecVerify::newCommandLine, CliRun.CLOCK, args);
    assertThat(CliRun.teecVerify(args)).isEqualTo(whole);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "verify doc --help",
        "verify bundle --bogus",
        "verify --help",
        "verify",
        "registry --help",
        "bild",
        "--help"
      })
  void teec_namedSubcommandAlone_behavesAsTheWholeTree(String line) {
    String[] args = line.split(" ");
    CliRun whole = CliRun.run(Teec::newCommandLine, CliRun.CLOCK, args);
    assertThat(CliRun.teec(args)).isEqualTo(whole);
  }

  @Test
  void teecVerify_subcommandFirst_buildsThatOneAlone() {
    CommandLine tree = TeecVerify.newCommandLine(CliRun.CLOCK, java.util.Map.of(), args("doc"));
    assertThat(tree.getSubcommands()).containsOnlyKeys("doc");
    CommandLine teec = Teec.newCommandLine(CliRun.CLOCK, java.util.Map.of(), args("verify doc"));
    assertThat(teec.getSubcommands()).containsOnlyKeys("verify");
    assertThat(teec.getSubcommands().get("verify").getSubcommands()).containsOnlyKeys("doc");
  }

  private static String[] args(String line) {
    return line.split(" ");
  }
}
