package dev.teec.cli.challenge;

/** The exit codes of the challenge commands (the same meanings as every teec command). */
final class Exits {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int INTERNAL = 3;

  static final String HEADING = "%nExit codes:%n";

  private Exits() {}
}
