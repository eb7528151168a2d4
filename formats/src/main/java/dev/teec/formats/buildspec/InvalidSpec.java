package dev.teec.formats.buildspec;

/**
 * A value that breaks a build.json rule, found while constructing the records. Unchecked so the
 * record constructors can enforce the rules too; {@link BuildSpec#parse(byte[])} turns it into a
 * {@link BuildSpecException} with the same path.
 */
final class InvalidSpec extends IllegalArgumentException {
  private final String path;
  private final String problem;

  InvalidSpec(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  BuildSpecException checked() {
    return new BuildSpecException(path, problem, this);
  }
}
