/**
 * What a build tells its user while it runs: phase lines, the live build log, transfer progress.
 */
package dev.teec.builder.progress;
