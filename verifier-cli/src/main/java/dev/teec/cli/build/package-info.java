/** {@code teec build}: the command-line shell over the builder module. */
package dev.teec.cli.build;
