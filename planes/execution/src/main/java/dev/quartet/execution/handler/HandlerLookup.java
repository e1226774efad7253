package dev.quartet.execution.handler;

/** The answer of {@link HandlerRegistry#handlerFor}: the handler of a tool, or why there is none. */
public sealed interface HandlerLookup permits HandlerLookup.Found, HandlerLookup.Refused {
  /** The handler that runs the tool. */
  record Found(TaskHandler handler) implements HandlerLookup {}

  /** No handler of the tool's kind is installed on this worker; {@code reason} names the kind. */
  record Refused(String reason) implements HandlerLookup {}
}
