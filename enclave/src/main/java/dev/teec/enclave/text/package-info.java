/** Text from untrusted sources made safe to put in a message or a log line. */
package dev.teec.enclave.text;
