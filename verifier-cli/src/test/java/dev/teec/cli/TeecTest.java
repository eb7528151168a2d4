package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TeecTest {
  private static final Map<String, String> ENV = Map.of();

  @Test
  void newCommandLine_subcommandFirst_holdsOnlyThatSubcommand() {
    CommandLine build =
        Teec.newCommandLine(CliRun.CLOCK, ENV, new String[] {"build", "--mode", "local"});

    assertThat(build.getSubcommands()).containsOnlyKeys("build");
  }

  @Test
  void newCommandLine_noOrOtherFirstArgument_holdsEverySubcommand() {
    var all = Teec.newCommandLine(CliRun.CLOCK, ENV).getSubcommands().keySet();

    assertThat(all)
        .containsExactly(
            "verify", "build", "demo", "challenge", "registry", "image", "emulator", "bundle");
    for (String[] args :
        new String[][] {{}, {"--help"}, {"buidl"}, {"--stacktrace", "build"}, {"Build"}}) {
      assertThat(Teec.newCommandLine(CliRun.CLOCK, ENV, args).getSubcommands().keySet())
          .as(String.join(" ", args))
          .containsExactlyElementsOf(all);
    }
  }

  @Test
  void newCommandLine_eachSubcommandAlone_hasTheFullTreesUsage() {
    CommandLine full = Teec.newCommandLine(CliRun.CLOCK, ENV);
    for (String name : full.getSubcommands().keySet()) {
      CommandLine alone = Teec.newCommandLine(CliRun.CLOCK, ENV, new String[] {name});

      assertThat(alone.getSubcommands().get(name).getUsageMessage())
          .as(name)
          .isEqualTo(full.getSubcommands().get(name).getUsageMessage());
    }
  }

  @Test
  void teec_mistypedOptionOfASubcommand_getsTheSameErrorAsWithTheFullTree() {
    String[] args = {"build", "--mod", "local"};
    CliRun lazy = CliRun.teec(args);
    CliRun full = CliRun.run(clock -> Teec.newCommandLine(clock, ENV), CliRun.CLOCK, args);

    assertThat(lazy.exitCode()).isEqualTo(CliSupport.USAGE).isEqualTo(full.exitCode());
    assertThat(lazy.err()).contains("--mod").isEqualTo(full.err());
  }
}
