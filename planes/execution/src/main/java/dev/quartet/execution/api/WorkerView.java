package dev.quartet.execution.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/** Read-only view of this process's worker: who it is and which config it runs under. */
@Serdeable
public record WorkerView(String id, String queue, Map<String, String> labels, String status, boolean admitting,
                         boolean caughtUp, @Nullable Long configVersion, @Nullable String configDigest,
                         @Nullable String degradedPolicy, @Nullable String leaseExpiresAt, int pendingVersions) {}
