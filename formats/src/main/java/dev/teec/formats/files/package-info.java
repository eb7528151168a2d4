/**
 * File-system helpers the format readers' callers share: recursive deletion without following
 * links.
 */
package dev.teec.formats.files;
