package dev.teec.enclave.proxy;

import java.io.IOException;

/**
 * A protocol violation or limit hit while reading an HTTP message, with the status the proxy
 * answers when the offending party is the client (upstream faults always become 502).
 */
final class HttpException extends IOException {

  private static final long serialVersionUID = 1L;

  private final int status;

  HttpException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
