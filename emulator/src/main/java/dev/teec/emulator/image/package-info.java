/**
 * {@code teec emulator image}: teec's enclave images as EIFs made without Docker or nitro-cli, from
 * the pinned root file system of {@code enclave/images}, the worker jar, the emulator's kernel and
 * an init of ours ({@link dev.teec.emulator.image.ImageBuilder}); the initramfs is written
 * byte-for-byte reproducibly ({@link dev.teec.emulator.image.Initramfs}).
 */
package dev.teec.emulator.image;
