package dev.quartet.harness;

/** A port that embedded infrastructure must bind is already taken. */
public final class PortInUseException extends RuntimeException {
  private final int port;

  /** @param what the component that needed the port, e.g. "HTTP" */
  public PortInUseException(int port, String what) {
    super(what + " port " + port + " on 127.0.0.1 is already in use");
    this.port = port;
  }

  /** The port that was taken. */
  public int port() {
    return port;
  }
}
