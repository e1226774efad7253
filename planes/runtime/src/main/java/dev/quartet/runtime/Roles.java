package dev.quartet.runtime;

import java.util.List;
import java.util.Set;

/** Role names checked by the planes' endpoints; API tokens carry only these. */
public final class Roles {
  /** Platform administrator: every endpoint of every plane, and minting API tokens. */
  public static final String ADMIN = "ADMIN";
  /** Auditor: reads evidence. */
  public static final String AUDITOR = "AUDITOR";
  /** Workload owner: submits, reads, cancels and replays tasks of its tenant. */
  public static final String SUBMITTER = "SUBMITTER";
  /** Approves tasks that need an approval. */
  public static final String APPROVER = "APPROVER";
  /** A worker process: leases and completes tasks. */
  public static final String WORKER = "WORKER";
  /** Administers the data plane (classifications, keys). */
  public static final String DATA_ADMIN = "DATA_ADMIN";
  /** A plane process depositing the openings of redacted evidence attributes; nothing else (not even reading them back). */
  public static final String EVIDENCE_DEPOSITOR = "EVIDENCE_DEPOSITOR";
  /** Cleared for PUBLIC payloads. */
  public static final String DATA_PUBLIC = "DATA_PUBLIC";
  /** Cleared for INTERNAL payloads. */
  public static final String DATA_INTERNAL = "DATA_INTERNAL";
  /** Cleared for CONFIDENTIAL payloads. */
  public static final String DATA_CONFIDENTIAL = "DATA_CONFIDENTIAL";
  /** Cleared for RESTRICTED payloads. */
  public static final String DATA_RESTRICTED = "DATA_RESTRICTED";
  /** Every role name a token may carry. */
  public static final Set<String> ALL = Set.of(ADMIN, AUDITOR, SUBMITTER, APPROVER, WORKER, DATA_ADMIN,
      EVIDENCE_DEPOSITOR, DATA_PUBLIC, DATA_INTERNAL, DATA_CONFIDENTIAL, DATA_RESTRICTED);
  /** What the bootstrap admin token carries: enough for a newcomer to publish, submit and put payloads. */
  public static final List<String> BOOTSTRAP_ADMIN = List.of(ADMIN, SUBMITTER, DATA_ADMIN,
      DATA_PUBLIC, DATA_INTERNAL, DATA_CONFIDENTIAL, DATA_RESTRICTED);
  /** Authentication attribute naming the tenant a principal is scoped to; "*" for all. */
  public static final String TENANT_ATTRIBUTE = "tenant";
  /** Authentication attribute carrying an API token's id ({@code jti}), for audit trails. */
  public static final String TOKEN_ID_ATTRIBUTE = "jti";

  private Roles() {}
}
