package dev.quartet.contracts.topics;

/** Topics could not be created or described: the cluster refused, failed or did not answer in time. */
public final class TopicProvisioningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure of {@code step} (e.g. "create quartet.tasks.events"), with its cause. */
  public TopicProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
