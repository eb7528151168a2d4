package dev.teec.emulator;

import dev.teec.digest.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The recipe of teec's enclave images and of the emulator: the pins and scripts of {@code
 * enclave/images}, bundled into this module's jar (so the CLI needs no checkout) or read from a
 * checkout. Each product's cache key is a digest of exactly the files it is made from.
 */
public final class ImageRecipe {
  /** The root file system of the images: the Debian release and packages. */
  public static final List<String> ROOTFS = List.of("pins.env", "debian.sh", "rootfs.sh");

  /** {@code teec emulator setup}: QEMU, the vsock backend, the kernel and busybox. */
  public static final List<String> SETUP =
      List.of(
          "pins.env",
          "debian.sh",
          "emulator/pins.env",
          "emulator/setup.sh",
          "emulator/build-in-root.sh");

  /** What the emulated images add to the root file system and kernel. */
  public static final List<String> IMAGE =
      List.of("start-worker", "emulator/init", "emulator/image.env");

  private static final String RESOURCE_ROOT = "/dev/teec/emulator/recipe/";
  private static final List<String> FILES =
      List.of(
          "pins.env",
          "debian.sh",
          "rootfs.sh",
          "start-worker",
          "emulator/pins.env",
          "emulator/setup.sh",
          "emulator/build-in-root.sh",
          "emulator/init",
          "emulator/image.env");

  private final Map<String, byte[]> files;

  private ImageRecipe(Map<String, byte[]> files) {
    this.files = files;
  }

  /** The recipe bundled with this code. */
  public static ImageRecipe bundled() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : FILES) {
      try (InputStream in = ImageRecipe.class.getResourceAsStream(RESOURCE_ROOT + name)) {
        if (in == null) {
          throw new IllegalStateException(
              "the recipe file " + name + " is missing from the class path");
        }
        files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the bundled recipe file " + name, e);
      }
    }
    return new ImageRecipe(files);
  }

  /** The recipe in a checkout's {@code enclave/images} directory. */
  public static ImageRecipe fromDirectory(Path images) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : FILES) {
      files.put(name, Files.readAllBytes(images.resolve(name)));
    }
    return new ImageRecipe(files);
  }

  /** The content of one recipe file. */
  public byte[] file(String name) {
    byte[] b = files.get(Objects.requireNonNull(name, "name"));
    if (b == null) {
      throw new IllegalArgumentException("no recipe file " + name);
    }
    return b.clone();
  }

  /**
   * Every assignment of the pins files: {@code pins.env} (the Debian release, the images'
   * packages), {@code emulator/pins.env} (the emulator's inputs), {@code emulator/image.env} (the
   * images' command line).
   */
  public Pins pins() {
    return Pins.parse("pins.env", text("pins.env"))
        .with(Pins.parse("emulator/pins.env", text("emulator/pins.env")))
        .with(Pins.parse("emulator/image.env", text("emulator/image.env")));
  }

  /** SHA-256 (hex) over the named files, each as its name, a NUL, its length, a NUL, its bytes. */
  public String digest(List<String> names) {
    MessageDigest d = Digests.sha256();
    for (String name : names) {
      byte[] b = file(name);
      d.update((name + "\0" + b.length + "\0").getBytes(StandardCharsets.UTF_8));
      d.update(b);
    }
    return Digests.hex(d);
  }

  /** Writes every file under {@code dir} (scripts executable) and returns {@code dir}. */
  public Path extract(Path dir) throws IOException {
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, f.getValue());
      boolean executable = !f.getKey().endsWith(".env");
      Files.setPosixFilePermissions(
          p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }
    return dir;
  }

  private String text(String name) {
    return new String(file(name), StandardCharsets.UTF_8);
  }
}
