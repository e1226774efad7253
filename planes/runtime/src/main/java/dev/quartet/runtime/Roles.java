package dev.quartet.runtime;

/** Role names checked by the planes' endpoints. */
public final class Roles {
  /** Platform administrator: every endpoint of every plane. */
  public static final String ADMIN = "ADMIN";
  /** Auditor: reads evidence. */
  public static final String AUDITOR = "AUDITOR";
  /** Authentication attribute naming the tenant a principal is scoped to; "*" for all. */
  public static final String TENANT_ATTRIBUTE = "tenant";

  private Roles() {}
}
