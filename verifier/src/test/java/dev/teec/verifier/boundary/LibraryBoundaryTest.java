package dev.teec.verifier.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teec.formats.report.ProvenanceReport;
import dev.teec.truststore.registry.RegistryVerifier;
import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.bundle.BundleVerifier;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The verifier library's boundary (spec V8): what an application gets with the one dependency. The
 * Maven enforcer rule in this module's pom keeps the CLI, the builder, the worker, picocli and JNA
 * off its runtime classpath; these tests check the library's own code and its packages.
 */
class LibraryBoundaryTest {
  /** Code an embedded verifier must never reach, as class-file name prefixes. */
  private static final List<String> FORBIDDEN =
      List.of(
          "picocli/",
          "com/sun/jna/",
          "dev/teec/cli/",
          "dev/teec/builder/",
          "dev/teec/enclave/",
          "dev/teec/generator/",
          "dev/teec/vectors/");

  @Test
  void libraryCode_referencesNoCliBuilderWorkerOrJna() throws Exception {
    List<String> offenders = new ArrayList<>();
    for (Class<?> module :
        List.of(
            BundleVerifier.class,
            AttestationVerifier.class,
            RegistryVerifier.class,
            ProvenanceReport.class)) {
      forEachClassFile(
          module,
          (name, bytes) -> {
            // Class references are UTF-8 internal names in the constant pool.
            String pool = new String(bytes, StandardCharsets.ISO_8859_1);
            FORBIDDEN.stream()
                .filter(pool::contains)
                .forEach(forbidden -> offenders.add(name + " -> " + forbidden));
          });
    }
    assertThat(offenders).isEmpty();
  }

  @Test
  void libraryPackages_areTheApiPackagesOnly() throws Exception {
    // Every package of the library is exported (it is an automatic module), so each must be API:
    // implementation classes stay package-private inside them.
    Set<String> packages = new TreeSet<>();
    forEachClassFile(
        BundleVerifier.class,
        (name, bytes) -> packages.add(name.substring(0, name.lastIndexOf('.'))));
    assertThat(packages)
        .containsExactly(
            "dev.teec.verifier.bundle", "dev.teec.verifier.image", "dev.teec.verifier.vote");
  }

  @Test
  void publicTypes_ofTheBundlePackage_areTheDocumentedApi() throws Exception {
    Set<String> publicTypes = new TreeSet<>();
    List<String> names = new ArrayList<>();
    forEachClassFile(BundleVerifier.class, (name, bytes) -> names.add(name));
    for (String name : names) {
      Class<?> c = Class.forName(name);
      if (c.getPackageName().equals("dev.teec.verifier.bundle")
          && Modifier.isPublic(c.getModifiers())
          && c.getEnclosingClass() == null) {
        publicTypes.add(c.getSimpleName());
      }
    }
    assertThat(publicTypes)
        .containsExactlyInAnyOrder(
            "ArtifactResult",
            "BuilderIdentity",
            "BundleCheck",
            "BundleVerification",
            "BundleVerificationException",
            "BundleVerifier",
            "ReportSummary",
            "SourceExpectation",
            "VerifiedBundle");
  }

  /**
   * Calls {@code action} with the name and bytes of every class file of the module {@code type} was
   * loaded from: a classes directory, or a jar when Maven built the module's package first.
   */
  private static void forEachClassFile(Class<?> type, BiConsumer<String, byte[]> action)
      throws IOException, URISyntaxException {
    Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(location)) {
      walk(location, action);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(location)) {
        walk(jar.getPath("/"), action);
      }
    }
  }

  private static void walk(Path root, BiConsumer<String, byte[]> action) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (!name.equals("module-info")) {
          action.accept(name, Files.readAllBytes(f));
        }
      }
    }
  }
}
