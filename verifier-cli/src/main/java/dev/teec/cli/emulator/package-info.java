/**
 * {@code teec emulator}: thin commands over {@code dev.teec.emulator}: {@code setup}, {@code image}
 * and {@code nitro-cli}, the stand-in for AWS nitro-cli over QEMU.
 */
package dev.teec.cli.emulator;
