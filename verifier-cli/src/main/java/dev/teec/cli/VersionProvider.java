package dev.teec.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Prints the root command's name and the project version recorded at build time. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties props = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IOException("version.properties is missing from the jar");
      }
      props.load(in);
    }
    return new String[] {"${ROOT-COMMAND-NAME} " + props.getProperty("version")};
  }
}
