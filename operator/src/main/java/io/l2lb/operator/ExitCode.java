package io.l2lb.operator;

/** Distinct exit codes, so a crash-looping pod says in its status what is wrong. */
public enum ExitCode {
  OK(0),
  /** Unexpected failure; see the log. */
  FAILED(1),
  /** A setting is missing or malformed. */
  CONFIG(2),
  /** The Kubernetes client could not be configured (kubeconfig / service account). */
  NO_KUBE_CONFIG(6),
  /** The metrics/health port cannot be bound. */
  NO_METRICS_PORT(7),
  /**
   * Leadership was lost without a shutdown (the Lease could not be renewed in time): the process
   * exits at once so two replicas never write at the same time; the restarted pod is a standby.
   */
  LOST_LEADERSHIP(8),
  /** The API server refused to start the informers (missing CRDs or permissions). */
  START_FAILED(9);

  public final int code;

  ExitCode(int code) {
    this.code = code;
  }
}
