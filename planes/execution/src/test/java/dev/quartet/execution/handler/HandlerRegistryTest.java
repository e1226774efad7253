package dev.quartet.execution.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.execution.policy.ToolDefinition;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerRegistryTest {
  @TempDir Path dir;

  /** A class loader that sees {@code META-INF/services} naming {@code providers}, as a custom handler jar would. */
  private ClassLoader withServices(String... providers) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(TaskHandler.class.getName()), String.join("\n", providers) + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  private HandlerRegistry load(ClassLoader loader) {
    return HandlerRegistry.load(loader, HostResolver.SYSTEM, dir, Duration.ofSeconds(2));
  }

  @Test
  void installsTheBuiltInsAndServiceLoadedCustomHandlers() throws Exception {
    HandlerRegistry registry = load(withServices(ShoutHandler.class.getName()));
    assertEquals(List.of("http", "process", "shout", "transform"), registry.kinds());
    HandlerLookup.Found found = assertInstanceOf(HandlerLookup.Found.class,
        registry.handlerFor(new ToolDefinition("transform", "transform", List.of())));
    assertInstanceOf(TransformHandler.class, found.handler());
    assertInstanceOf(ProcessHandler.class, ((HandlerLookup.Found)
        registry.handlerFor(new ToolDefinition("wc", "process", List.of("wc", "-c")))).handler());
  }

  @Test
  void aJavaToolRunsTheCustomHandlerNamedLikeIt() throws Exception {
    HandlerRegistry registry = load(withServices(ShoutHandler.class.getName()));
    ToolDefinition tool = new ToolDefinition("shout", HandlerRegistry.CUSTOM_KIND, List.of());
    TaskHandler handler = ((HandlerLookup.Found) registry.handlerFor(tool)).handler();
    HandlerOutput out = handler.run(Invocations.of(tool, Map.of(), Invocations.utf8("hi"), Invocations.LIMITS, Set.of()));
    assertEquals("HI!", Invocations.text(out));
  }

  @Test
  void anUnknownKindIsRefused() throws Exception {
    HandlerRegistry registry = load(withServices());
    HandlerLookup.Refused refused = assertInstanceOf(HandlerLookup.Refused.class,
        registry.handlerFor(new ToolDefinition("shout", HandlerRegistry.CUSTOM_KIND, List.of())));
    assertTrue(refused.reason().contains("shout"), refused.reason());
    assertInstanceOf(HandlerLookup.Refused.class, registry.handlerFor(new ToolDefinition("x", "wasm", List.of())));
    assertInstanceOf(HandlerLookup.Refused.class,
        registry.handlerFor(new ToolDefinition("process", HandlerRegistry.CUSTOM_KIND, List.of())));
  }

  @Test
  void aCustomHandlerCannotReplaceABuiltIn() {
    TaskHandler impostor = new TaskHandler() {
      @Override
      public String kind() {
        return "process";
      }

      @Override
      public HandlerOutput run(HandlerInvocation call) {
        throw new AssertionError("never runs");
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new HandlerRegistry(List.of(new TransformHandler(), new ProcessHandler(dir, Duration.ofSeconds(1))),
            List.of(impostor)));
    assertTrue(e.getMessage().contains("process"), e.getMessage());
  }
}
