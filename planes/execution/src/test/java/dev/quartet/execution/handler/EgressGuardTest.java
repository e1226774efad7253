package dev.quartet.execution.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class EgressGuardTest {
  @Test
  void classifiesNonPublicAddresses() throws Exception {
    for (String a : List.of("127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "0.0.0.0", "100.64.0.1", "255.255.255.255", "224.0.0.1", "::1", "::", "fe80::1",
        "fc00::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "::10.0.0.1",
        "ff02::1")) {
      assertTrue(EgressGuard.isNonPublic(InetAddress.getByName(a)), a + " should be non-public");
    }
    for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "192.169.0.1", "100.128.0.1",
        "2606:4700::1111", "64:ff9b::808:808")) {
      assertFalse(EgressGuard.isNonPublic(InetAddress.getByName(a)), a + " should be public");
    }
  }

  @Test
  void privateRangesAreNonPublicAcrossTheirWholeSpan() throws Exception {
    Random random = new Random(1918L);
    for (int i = 0; i < 500; i++) {
      int x = random.nextInt(256);
      int y = random.nextInt(256);
      int z = random.nextInt(256);
      for (String a : List.of("10." + x + "." + y + "." + z, "172." + (16 + x % 16) + "." + y + "." + z,
          "192.168." + y + "." + z, "169.254." + y + "." + z, "127." + x + "." + y + "." + z)) {
        assertTrue(EgressGuard.isNonPublic(InetAddress.getByName(a)), a);
      }
    }
  }

  @Test
  void onlyStrictDottedQuadsAndIpv6AreLiterals() {
    assertTrue(EgressGuard.isIpLiteral("127.0.0.1"));
    assertTrue(EgressGuard.isIpLiteral("::1"));
    for (String notLiteral : List.of("127.1", "0x7f.0.0.1", "2130706433", "localhost", "010.0.0.1")) {
      assertFalse(EgressGuard.isIpLiteral(notLiteral), notLiteral);
    }
    assertEquals(443, EgressGuard.port(java.net.URI.create("https://example.org/x")));
  }
}
