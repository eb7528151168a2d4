/** Text encodings of binary values shared by every module: PEM. */
package dev.teec.encoding;
