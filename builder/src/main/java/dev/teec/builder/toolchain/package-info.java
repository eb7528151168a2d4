/**
 * Choosing a local build's toolchain from the user's machine as the user's shell would: the build's
 * PATH and the variables its toolchains need ({@link
 * dev.teec.builder.toolchain.ToolchainResolver}).
 */
package dev.teec.builder.toolchain;
