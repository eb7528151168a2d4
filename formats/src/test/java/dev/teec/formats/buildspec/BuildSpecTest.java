package dev.teec.formats.buildspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildSpecTest {
  private static final String ORIGINAL =
      "{\"language\":\"rust\",\"input\":{\"cmd\":\"cargo build\"},\"output\":{\"files\":[\"target/debug/rust-project\"]}}";

  private static BuildSpec parse(String json) throws BuildSpecException {
    return BuildSpec.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Single quotes for readability in the tables below. */
  private static String q(String json) {
    return json.replace('\'', '"');
  }

  @Test
  void parse_originalFormat_appliesDefaults() throws IOException {
    BuildSpec spec = parse(ORIGINAL);
    assertThat(spec.language()).isEqualTo(Language.RUST);
    assertThat(spec.toolchain()).isEmpty();
    assertThat(spec.input().cmd()).isEqualTo("cargo build");
    assertThat(spec.input().workdir()).isEqualTo(".");
    assertThat(spec.input().env()).isEmpty();
    assertThat(spec.input().timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(spec.output().files())
        .extracting(OutputPattern::pattern)
        .containsExactly("target/debug/rust-project");
  }

  @Test
  void parse_everyOptionalField_readsThem() throws IOException {
    BuildSpec spec =
        parse(
            q(
                "{'language':'maven','toolchain':'17.0.11+9','input':{'cmd':'mvn -B package','workdir':'app/server',"
                    + "'env':{'MAVEN_OPTS':'-Xmx1g','B_FLAG':''},'timeoutSeconds':600},"
                    + "'output':{'files':['target/*.jar','dist/**/*.txt']}}"));
    assertThat(spec.language()).isEqualTo(Language.MAVEN);
    assertThat(spec.toolchain()).contains("17.0.11+9");
    assertThat(spec.input().workdir()).isEqualTo("app/server");
    assertThat(spec.input().env())
        .containsExactly(Map.entry("B_FLAG", ""), Map.entry("MAVEN_OPTS", "-Xmx1g"));
    assertThat(spec.input().timeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(spec.output().files())
        .extracting(OutputPattern::pattern)
        .containsExactly("target/*.jar", "dist/**/*.txt");
  }

  @Test
  void parse_inputStream_sameAsBytes() throws IOException {
    assertThat(BuildSpec.parse(new ByteArrayInputStream(ORIGINAL.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(parse(ORIGINAL));
  }

  @Test
  void parse_inputStreamOverLimit_rejectedWithoutReadingAll() {
    byte[] big = new byte[BuildSpec.MAX_BYTES + 10];
    ByteArrayInputStream in = new ByteArrayInputStream(big);
    assertThatThrownBy(() -> BuildSpec.parse(in))
        .isInstanceOf(BuildSpecException.class)
        .hasMessageContaining("larger than 65536 bytes");
    assertThat(in.available()).isEqualTo(9);
  }

  @Test
  void parse_bytesOverLimit_rejected() {
    assertThatThrownBy(() -> BuildSpec.parse(new byte[BuildSpec.MAX_BYTES + 1]))
        .isInstanceOfSatisfying(BuildSpecException.class, e -> assertThat(e.path()).isEqualTo("$"));
  }

  @Test
  void toMap_fillsDefaultsWithSortedKeys() throws IOException {
    Map<String, Object> map = parse(ORIGINAL).toMap();
    assertThat(map.keySet()).containsExactly("input", "language", "output");
    assertThat(map.get("input"))
        .isEqualTo(
            Map.of("cmd", "cargo build", "workdir", ".", "env", Map.of(), "timeoutSeconds", 1800L));
    assertThat(map.get("output")).isEqualTo(Map.of("files", List.of("target/debug/rust-project")));
  }

  @Test
  void language_idsAndRegistries() {
    assertThat(Language.ids()).containsExactly("c", "go", "maven", "rust");
    assertThat(Language.fromId("rust")).contains(Language.RUST);
    assertThat(Language.fromId("Rust")).isEmpty();
    assertThat(Language.fromId("golang")).isEmpty();
    assertThat(Language.C.registryHosts()).isEmpty();
    assertThat(Language.RUST.registryHosts()).contains("index.crates.io", "static.crates.io");
    assertThat(Language.MAVEN.registryHosts()).contains("repo.maven.apache.org", "repo1.maven.org");
    assertThat(Language.GO.registryHosts()).contains("proxy.golang.org", "sum.golang.org");
  }

  @Test
  void language_javaIsMaven_andTheSpecNamesItMaven() throws IOException {
    BuildSpec spec =
        parse(q("{'language':'java','input':{'cmd':'mvn -B package'},'output':{'files':['a']}}"));
    assertThat(spec.language()).isEqualTo(Language.MAVEN);
    assertThat(spec.toMap().get("language")).isEqualTo("maven");
    assertThat(Language.fromId("java")).contains(Language.MAVEN);
    assertThat(Language.MAVEN.aliases()).containsExactly("java");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "C, c", "Rust, rust", "GO, go", "Maven, maven", "JAVA, maven", "rustc, rust", "cargo, rust",
    "golang, go", "Golang, go", "mvn, maven", "gcc, c", "clang, c", "rsut, rust", "ruby, ''",
    "mavne, maven", "mavn, maven", "jaav, maven", "golnag, go", "python, ''", "cpp, ''", "x, ''",
    "node, ''", "javascript, ''", "gradle, ''"
  })
  void language_suggest_nearMisses(String typed, String expected) {
    assertThat(Language.suggest(typed).map(Language::id).orElse("")).isEqualTo(expected);
  }

  @Test
  void parse_languageNearMiss_saysDidYouMean() {
    assertThatThrownBy(
            () ->
                parse(
                    q("{'language':'golang','input':{'cmd':'go build'},'output':{'files':['a']}}")))
        .hasMessage(
            "$.language: unknown language \"golang\"; did you mean \"go\"? Known languages are c,"
                + " go, maven (also java), rust");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"Java, java", "jav, java", "jaav, java", "jdk, java", "Maven, maven", "mvn, maven"})
  void unknown_suggestsTheAcceptedNameNearestToWhatWasWritten(String typed, String suggested) {
    assertThat(Language.unknown(typed))
        .startsWith("unknown language \"" + typed + "\"; did you mean \"" + suggested + "\"?");
  }

  @Test
  void language_toolsAreTheToolchainsCommands() {
    assertThat(Language.RUST.tools()).containsExactly("cargo", "rustc");
    assertThat(Language.GO.tools()).containsExactly("go");
    assertThat(Language.MAVEN.tools()).containsExactly("java", "mvn");
    assertThat(Language.C.tools()).containsExactly("cc", "gcc", "make");
  }

  @Test
  void reservedVariables_coverWorkerOwnedNames() {
    for (String name :
        List.of(
            "PATH",
            "HOME",
            "TMPDIR",
            "TZ",
            "LANG",
            "LC_ALL",
            "LC_CTYPE",
            "SOURCE_DATE_EPOCH",
            "https_proxy",
            "HTTP_PROXY",
            "No_Proxy",
            "ALL_PROXY",
            "TEEC_X",
            "PWD")) {
      assertThat(BuildSpec.Input.isReservedVariable(name)).as(name).isTrue();
    }
    for (String name : List.of("RUSTFLAGS", "MAVEN_OPTS", "CC", "GOFLAGS", "PROXY")) {
      assertThat(BuildSpec.Input.isReservedVariable(name)).as(name).isFalse();
    }
  }

  @Test
  void constructor_enforcesTheSameRules() {
    assertThatThrownBy(() -> new BuildSpec.Input(" ", ".", Map.of(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("$.input.cmd: must not be empty");
    assertThatThrownBy(() -> new BuildSpec.Input("make", ".", Map.of(), Duration.ofMillis(1500)))
        .hasMessageStartingWith("$.input.timeoutSeconds: ");
    assertThatThrownBy(() -> new BuildSpec.Output(List.of()))
        .hasMessage("$.output.files: must list at least one file");
    BuildSpec.Input input = new BuildSpec.Input("make", ".", Map.of(), Duration.ofSeconds(1));
    BuildSpec.Output output = new BuildSpec.Output(List.of(OutputPattern.compile("a")));
    assertThatThrownBy(() -> new BuildSpec(Language.C, Optional.of("bad version"), input, output))
        .hasMessageStartingWith("$.toolchain: ");
  }

  @Test
  void input_envIsSortedAndImmutable() {
    BuildSpec.Input input =
        new BuildSpec.Input("make", ".", Map.of("Z", "1", "A", "2"), Duration.ofSeconds(1));
    assertThat(input.env().keySet()).containsExactly("A", "Z");
    assertThatThrownBy(() -> input.env().put("B", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest(name = "{1}: {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // document level
        "                                                                            | $ | empty",
        "[]                                                                          | $ | must be a JSON object (found array)",
        "{'language':'c'} {}                                                         | $ | content after the end of the JSON object (line 1, column 18)",
        "{'language':'c',                                                            | $ | not valid JSON",
        "{'language':'c','language':'rust','input':{'cmd':'make'},'output':{'files':['a']}} | $.language | duplicate key (line 1, column 27)",
        "{'input':{'cmd':'make','cmd':'x'},'language':'c','output':{'files':['a']}}  | $.input.cmd | duplicate key",
        // keys
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a']},'extra':1} | $.extra | unknown key; known keys are [input, language, output, toolchain]",
        "{'language':'c','input':{'cmd':'make','cwd':'x'},'output':{'files':['a']}} | $.input.cwd | unknown key; known keys are [cmd, env, timeoutSeconds, workdir]",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a'],'dirs':[]}} | $.output.dirs | unknown key; known keys are [files]",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a']},'a b':1}   | $[\"a b\"] | unknown key",
        // missing
        "{'input':{'cmd':'make'},'output':{'files':['a']}}                          | $.language | is required",
        "{'language':'c','output':{'files':['a']}}                                  | $.input | is required",
        "{'language':'c','input':{'cmd':'make'}}                                    | $.output | is required",
        "{'language':'c','input':{},'output':{'files':['a']}}                       | $.input.cmd | is required",
        "{'language':'c','input':{'cmd':'make'},'output':{}}                        | $.output.files | is required",
        // types
        "{'language':5,'input':{'cmd':'make'},'output':{'files':['a']}}             | $.language | must be a string (found number)",
        "{'language':'c','toolchain':null,'input':{'cmd':'make'},'output':{'files':['a']}} | $.toolchain | must be a string (found null)",
        "{'language':'c','input':'make','output':{'files':['a']}}                   | $.input | must be an object (found string)",
        "{'language':'c','input':{'cmd':['make']},'output':{'files':['a']}}         | $.input.cmd | must be a string (found array)",
        "{'language':'c','input':{'cmd':'make','workdir':1},'output':{'files':['a']}} | $.input.workdir | must be a string (found number)",
        "{'language':'c','input':{'cmd':'make','env':[]},'output':{'files':['a']}}  | $.input.env | must be an object (found array)",
        "{'language':'c','input':{'cmd':'make','env':{'A':1}},'output':{'files':['a']}} | $.input.env.A | must be a string (found number)",
        "{'language':'c','input':{'cmd':'make','timeoutSeconds':'60'},'output':{'files':['a']}} | $.input.timeoutSeconds | must be a number of seconds (found string)",
        "{'language':'c','input':{'cmd':'make','timeoutSeconds':1.5},'output':{'files':['a']}} | $.input.timeoutSeconds | must be a whole number of seconds",
        "{'language':'c','input':{'cmd':'make'},'output':'a'}                       | $.output | must be an object (found string)",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':'a'}}             | $.output.files | must be an array of paths (found string)",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a',true]}}      | $.output.files[1] | must be a string (found boolean)",
        // values
        "{'language':'python','input':{'cmd':'make'},'output':{'files':['a']}}      | $.language | unknown language \"python\"; known languages are c, go, maven (also java), rust",
        "{'language':'c','toolchain':'','input':{'cmd':'make'},'output':{'files':['a']}} | $.toolchain | must be 1..64 characters",
        "{'language':'c','input':{'cmd':''},'output':{'files':['a']}}               | $.input.cmd | must not be empty",
        "{'language':'c','input':{'cmd':'  \\n '},'output':{'files':['a']}}         | $.input.cmd | must not be empty",
        "{'language':'c','input':{'cmd':'a\\u0000b'},'output':{'files':['a']}}      | $.input.cmd | contains a NUL character",
        "{'language':'c','input':{'cmd':'make','workdir':'/abs'},'output':{'files':['a']}} | $.input.workdir | must be relative",
        "{'language':'c','input':{'cmd':'make','workdir':'a/../b'},'output':{'files':['a']}} | $.input.workdir | '..' segment",
        "{'language':'c','input':{'cmd':'make','workdir':'src/*'},'output':{'files':['a']}} | $.input.workdir | globs are not allowed here",
        "{'language':'c','input':{'cmd':'make','workdir':''},'output':{'files':['a']}} | $.input.workdir | must not be empty",
        "{'language':'c','input':{'cmd':'make','env':{'PATH':'/x'}},'output':{'files':['a']}} | $.input.env.PATH | is set by the worker",
        "{'language':'c','input':{'cmd':'make','env':{'https_proxy':'x'}},'output':{'files':['a']}} | $.input.env.https_proxy | is set by the worker",
        "{'language':'c','input':{'cmd':'make','env':{'LC_CTYPE':'x'}},'output':{'files':['a']}} | $.input.env.LC_CTYPE | is set by the worker",
        "{'language':'c','input':{'cmd':'make','env':{'1A':'x'}},'output':{'files':['a']}} | $.input.env[\"1A\"] | variable names match",
        "{'language':'c','input':{'cmd':'make','env':{'A=B':'x'}},'output':{'files':['a']}} | $.input.env[\"A=B\"] | variable names match",
        "{'language':'c','input':{'cmd':'make','env':{'A':'x\\u0000'}},'output':{'files':['a']}} | $.input.env.A | value contains a NUL character",
        "{'language':'c','input':{'cmd':'make','timeoutSeconds':0},'output':{'files':['a']}} | $.input.timeoutSeconds | must be from 1 to 14400 seconds (found 0)",
        "{'language':'c','input':{'cmd':'make','timeoutSeconds':-5},'output':{'files':['a']}} | $.input.timeoutSeconds | must be from 1 to 14400 seconds",
        "{'language':'c','input':{'cmd':'make','timeoutSeconds':14401},'output':{'files':['a']}} | $.input.timeoutSeconds | must be from 1 to 14400 seconds",
        "{'language':'c','input':{'cmd':'make','timeoutSeconds':99999999999999999999999},'output':{'files':['a']}} | $.input.timeoutSeconds | must be from 1 to 14400 seconds",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':[]}}              | $.output.files | must list at least one file",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['/etc/passwd']}} | $.output.files[0] | \"/etc/passwd\" must be relative to the source root",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a','../x']}}    | $.output.files[1] | '..' segment",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a/./b']}}       | $.output.files[0] | '.' segment",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['./a']}}         | $.output.files[0] | '.' segment",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a//b']}}        | $.output.files[0] | empty segment",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['dist/']}}       | $.output.files[0] | must not end with '/'",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a\\\\b']}}      | $.output.files[0] | backslash",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a[0]']}}       | $.output.files[0] | only *, ** and ? are glob characters",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['{a,b}']}}       | $.output.files[0] | only *, ** and ? are glob characters",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a**/b']}}       | $.output.files[0] | '**' must be a whole segment",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['']}}            | $.output.files[0] | must not be empty",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a\\tb']}}       | $.output.files[0] | control character",
        "{'language':'c','input':{'cmd':'make'},'output':{'files':['a','b','a']}}   | $.output.files[2] | duplicates $.output.files[0]",
      })
  void parse_invalid_namesPathAndProblem(String json, String path, String message) {
    String doc = json == null ? "" : q(json);
    assertThatThrownBy(() -> parse(doc))
        .isInstanceOfSatisfying(
            BuildSpecException.class,
            e -> {
              assertThat(e.path()).isEqualTo(path);
              assertThat(e.problem()).contains(message);
              assertThat(e.getMessage()).startsWith(path + ": ");
            });
  }

  @Test
  void parse_tooManyOutputs_rejected() {
    StringBuilder files = new StringBuilder();
    for (int i = 0; i <= BuildSpec.Output.MAX_FILES; i++) {
      files.append(i == 0 ? "" : ",").append("\"f").append(i).append('"');
    }
    assertThatThrownBy(
            () ->
                parse(
                    q(
                        "{'language':'c','input':{'cmd':'make'},'output':{'files':["
                            + files
                            + "]}}")))
        .isInstanceOfSatisfying(
            BuildSpecException.class, e -> assertThat(e.path()).isEqualTo("$.output.files"));
  }

  @Test
  void parse_tooManyEnvVariables_rejected() {
    StringBuilder env = new StringBuilder();
    for (int i = 0; i <= BuildSpec.Input.MAX_ENV_ENTRIES; i++) {
      env.append(i == 0 ? "" : ",").append("\"V").append(i).append("\":\"x\"");
    }
    assertThatThrownBy(
            () ->
                parse(
                    q(
                        "{'language':'c','input':{'cmd':'make','env':{"
                            + env
                            + "}},'output':{'files':['a']}}")))
        .isInstanceOfSatisfying(
            BuildSpecException.class, e -> assertThat(e.path()).isEqualTo("$.input.env"));
  }

  @Test
  void parse_longCommand_rejected() {
    String cmd = "x".repeat(BuildSpec.Input.MAX_CMD_LENGTH + 1);
    assertThatThrownBy(
            () ->
                parse(q("{'language':'c','input':{'cmd':'" + cmd + "'},'output':{'files':['a']}}")))
        .isInstanceOfSatisfying(
            BuildSpecException.class, e -> assertThat(e.path()).isEqualTo("$.input.cmd"));
  }
}
