package dev.quartet.execution.handler;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a host name to every address it has now (the http handler checks each before connecting). */
@FunctionalInterface
public interface HostResolver {
  /** The system resolver. */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /** Every address of {@code host}. @throws UnknownHostException if it has none */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
