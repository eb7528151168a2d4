/** The one digest helper every teec module uses (SHA-256, SHA-384, SHA-1 and their hex). */
package dev.teec.digest;
