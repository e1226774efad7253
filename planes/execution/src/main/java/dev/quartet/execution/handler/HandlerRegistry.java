package dev.quartet.execution.handler;

import dev.quartet.execution.policy.ToolDefinition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The handlers installed on a worker, keyed by kind: the built-ins ({@code transform},
 * {@code http}, {@code process}) plus custom {@link TaskHandler}s found by {@link ServiceLoader}.
 * A tool of kind {@value #CUSTOM_KIND} (the kind the control plane accepts for custom handlers)
 * runs the custom handler whose kind equals the tool's name. A custom handler cannot replace a
 * built-in, and two handlers of one kind are a start-up error rather than a silent pick.
 */
public final class HandlerRegistry {
  /** The tool kind that selects a custom handler by the tool's name. */
  public static final String CUSTOM_KIND = "java";

  private final Map<String, TaskHandler> byKind;
  private final Set<String> builtInKinds;

  /** @throws IllegalStateException if two handlers claim the same kind or a custom handler claims {@value #CUSTOM_KIND} */
  public HandlerRegistry(List<TaskHandler> builtIns, Iterable<TaskHandler> custom) {
    Map<String, TaskHandler> kinds = new TreeMap<>();
    List<TaskHandler> all = new ArrayList<>(builtIns);
    custom.forEach(all::add);
    for (TaskHandler h : all) {
      if (CUSTOM_KIND.equals(h.kind())) {
        throw new IllegalStateException("handler " + h.getClass().getName() + " claims the reserved kind " + CUSTOM_KIND);
      }
      TaskHandler before = kinds.putIfAbsent(h.kind(), h);
      if (before != null) {
        throw new IllegalStateException("handlers " + before.getClass().getName() + " and " + h.getClass().getName()
            + " both claim kind " + h.kind());
      }
    }
    this.byKind = Collections.unmodifiableMap(kinds);
    this.builtInKinds = builtIns.stream().map(TaskHandler::kind).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The built-ins plus every {@link TaskHandler} listed in {@code META-INF/services} visible to {@code loader}.
   *
   * @param processWorkRoot where the process handler creates its private per-run directories
   * @param killGrace how long the process handler waits for a killed process tree
   */
  public static HandlerRegistry load(ClassLoader loader, HostResolver resolver, Path processWorkRoot,
                                     Duration killGrace) {
    List<TaskHandler> builtIns = List.of(new TransformHandler(), new HttpHandler(resolver),
        new ProcessHandler(processWorkRoot, killGrace));
    return new HandlerRegistry(builtIns, ServiceLoader.load(TaskHandler.class, loader));
  }

  /** The handler that runs {@code tool}, or a refusal when its kind is not installed here. */
  public HandlerLookup handlerFor(ToolDefinition tool) {
    boolean custom = CUSTOM_KIND.equals(tool.kind());
    String kind = custom ? tool.name() : tool.kind();
    TaskHandler h = byKind.get(kind);
    // A java tool selects custom handlers only: naming it "process" must not reach a built-in.
    if (h == null || (custom && builtInKinds.contains(kind))) {
      return new HandlerLookup.Refused("no handler of kind '" + kind + "' is installed on this worker");
    }
    return new HandlerLookup.Found(h);
  }

  /** The installed kinds, sorted. */
  public List<String> kinds() {
    return List.copyOf(byKind.keySet());
  }
}
