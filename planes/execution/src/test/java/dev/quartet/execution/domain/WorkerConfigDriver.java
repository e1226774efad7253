package dev.quartet.execution.domain;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.LeaseToken;
import dev.quartet.contracts.trust.TrustRoot;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Drives {@link WorkerConfigRules} as the shell does (decide, then apply each event in order) for
 * scope default/dev under a root of three admins: default threshold 1, policy 2, egress 3.
 */
class WorkerConfigDriver {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final String SCOPE = "default/dev";
  static final String FAR = "2030-01-01T00:00:00Z";
  static final Duration SKEW = Duration.ofSeconds(30);
  static final String EGRESS = "127.0.0.1:18080";

  final SecureRandom random = new SecureRandom();
  final AdminKeyPair alice = AdminKeyPair.generate(random);
  final AdminKeyPair bob = AdminKeyPair.generate(random);
  final AdminKeyPair carol = AdminKeyPair.generate(random);
  final AdminKeyPair mallory = AdminKeyPair.generate(random);
  final AdminKeyPair leaseKey = AdminKeyPair.generate(random);
  final TrustRoot root;
  final WorkerTrust trust;
  WorkerConfigState state;

  WorkerConfigDriver() {
    this(new ConfigBounds(8, 16), Instant.parse(FAR));
  }

  WorkerConfigDriver(ConfigBounds bounds, Instant rootExpires) {
    Map<String, Integer> thresholds = new TreeMap<>(Map.of("trust", 2, "policy", 2, "egress", 3));
    root = new TrustRoot(1, rootExpires, Set.of(alice.publicKey(), bob.publicKey(), carol.publicKey()), 1, thresholds,
        Set.of(leaseKey.publicKey()), Set.of());
    trust = new WorkerTrust(root, SKEW, 64 * 1024);
    state = WorkerConfigState.initial(ConfigScope.parse(SCOPE), bounds);
  }

  /** Version {@code version} of default/dev after {@code parent}, with the standard body, signed by all three admins. */
  DsseEnvelope version(long version, String parent) {
    return version(version, parent, FAR, ConfigFixtures.body(EGRESS), alice, bob, carol);
  }

  DsseEnvelope version(long version, String parent, String expiresAt, Map<String, Object> body, AdminKeyPair... keys) {
    return ConfigFixtures.signed(ConfigFixtures.doc(SCOPE, version, parent, expiresAt, body), keys);
  }

  List<WorkerConfigEvent> snapshot(DsseEnvelope envelope, Instant now) {
    return snapshot(envelope.toJson(), 0, now);
  }

  List<WorkerConfigEvent> snapshot(byte[] envelopeJson, long claimedVersion, Instant now) {
    return apply(WorkerConfigRules.onSnapshot(state, trust, envelopeJson, claimedVersion, now));
  }

  List<WorkerConfigEvent> tick(Instant now) {
    return apply(WorkerConfigRules.onTick(state, now));
  }

  List<WorkerConfigEvent> token(LeaseToken token, Instant now) {
    return apply(WorkerConfigRules.onLeaseToken(state, trust, token, now));
  }

  /** A token by the lease key for {@code version}/{@code digest}, valid for {@code lifetime} from {@code issued}. */
  LeaseToken leaseToken(long version, String digest, Instant issued, Duration lifetime) {
    return LeaseToken.sign(SCOPE, version, digest, issued, issued.plus(lifetime), leaseKey);
  }

  /** Applies {@code version}(s) in order, each after the previous, and returns the last envelope. */
  DsseEnvelope applyVersions(int count, Instant now) {
    DsseEnvelope last = null;
    String parent = "";
    for (int v = 1; v <= count; v++) {
      last = version(v, parent);
      snapshot(last, now);
      parent = ConfigFixtures.digest(last);
    }
    tick(now);
    return last;
  }

  private List<WorkerConfigEvent> apply(List<WorkerConfigEvent> events) {
    for (WorkerConfigEvent e : events) {
      state = e.applyTo(state);
    }
    return events;
  }
}
