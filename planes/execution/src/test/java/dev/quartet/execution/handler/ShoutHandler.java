package dev.quartet.execution.handler;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A custom handler for the SPI test: kind {@code shout}, upper-cases its input. */
public final class ShoutHandler implements TaskHandler {
  /** ServiceLoader needs a public no-argument constructor. */
  public ShoutHandler() {}

  @Override
  public String kind() {
    return "shout";
  }

  @Override
  public HandlerOutput run(HandlerInvocation call) {
    String text = new String(call.input(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT) + "!";
    return new HandlerOutput(text.getBytes(StandardCharsets.UTF_8), "text/plain");
  }
}
