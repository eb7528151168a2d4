/**
 * {@code teec build}: the command-line shell over the builder module, and the Nitro Enclave options
 * ({@link dev.teec.cli.build.NitroOptions}, {@link dev.teec.cli.build.NitroPlatform}) that {@code
 * teec challenge reproduce --mode nitro} shares with it.
 */
package dev.teec.cli.build;
