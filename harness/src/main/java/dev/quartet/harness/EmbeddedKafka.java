package dev.quartet.harness;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) run in this JVM from Apache
 * Kafka's own server classes. Its log directory lives under the given data directory, so a
 * restart on the same directory keeps every topic and committed offset.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String PORTS_FILE = "ports.properties";

  private final Path dir;
  private final KafkaRaftServer server;
  private final int brokerPort;

  private EmbeddedKafka(Path dir, KafkaRaftServer server, int brokerPort) {
    this.dir = dir;
    this.server = server;
    this.brokerPort = brokerPort;
  }

  /**
   * Formats {@code dir} on first use, then starts the node.
   *
   * @param preferredBrokerPort port to listen on, or 0 to reuse the previous port of this
   *     directory when it is free, else any free loopback port
   * @throws PortInUseException when {@code preferredBrokerPort} is taken
   */
  public static EmbeddedKafka start(Path dir, int preferredBrokerPort) {
    try {
      Files.createDirectories(dir);
      Path logDir = dir.resolve("log");
      Ports ports = choosePorts(dir, preferredBrokerPort);
      Properties props = nodeProperties(logDir, ports.broker(), ports.controller());
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(logDir);
      }
      KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      savePorts(dir, ports);
      log.info("Kafka (KRaft, single node) listening on 127.0.0.1:{} with data in {}", ports.broker(), logDir);
      return new EmbeddedKafka(dir, server, ports.broker());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka data directory " + dir, e);
    }
  }

  /** The address clients use, {@code 127.0.0.1:port}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The directory the node keeps its data in. */
  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private record Ports(int broker, int controller) {}

  private static Ports choosePorts(Path dir, int preferredBrokerPort) throws IOException {
    Properties saved = new Properties();
    Path file = dir.resolve(PORTS_FILE);
    if (Files.exists(file)) {
      try (var in = Files.newInputStream(file)) {
        saved.load(in);
      }
    }
    int broker = preferredBrokerPort;
    if (broker == 0) {
      broker = reusable(saved.getProperty("broker"));
    } else if (!FreePorts.isFree(broker)) {
      throw new PortInUseException(broker, "Kafka broker");
    }
    int controller = reusable(saved.getProperty("controller"));
    if (controller == broker) {
      controller = FreePorts.any();
    }
    return new Ports(broker, controller);
  }

  private static int reusable(String previous) {
    if (previous != null) {
      int port = Integer.parseInt(previous);
      if (FreePorts.isFree(port)) {
        return port;
      }
    }
    return FreePorts.any();
  }

  private static void savePorts(Path dir, Ports ports) throws IOException {
    Properties p = new Properties();
    p.setProperty("broker", Integer.toString(ports.broker()));
    p.setProperty("controller", Integer.toString(ports.controller()));
    try (var out = Files.newOutputStream(dir.resolve(PORTS_FILE))) {
      p.store(out, "ports of the last start; reused when free");
    }
  }

  private static void format(Path logDir) {
    var output = new ByteArrayOutputStream();
    try {
      new Formatter()
          .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.latestProduction())
          // KIP-890 transactions (transaction.version=2): the exactly-once tests of later issues rely on it.
          .setFeatureLevel("transaction.version", (short) 2)
          .setControllerListenerName("CONTROLLER")
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed: "
          + output.toString(StandardCharsets.UTF_8).trim(), e);
    }
  }

  private static Properties nodeProperties(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.putAll(KafkaSmallFootprint.singleNode());
    return p;
  }
}
