package io.l2lb.speaker;

/** Distinct exit codes, so a crash-looping pod says in its status what is wrong. */
public enum ExitCode {
  OK(0),
  /** Unexpected failure; see the log. */
  FAILED(1),
  /** A setting is missing or malformed. */
  CONFIG(2),
  /** Neither root nor CAP_NET_RAW: raw packet sockets are refused. */
  NO_NET_RAW(3),
  /** libpcap cannot be loaded. */
  NO_LIBPCAP(4),
  /** The configured interface, or the one holding the node's InternalIP, does not exist. */
  NO_INTERFACE(5),
  /** The Kubernetes client could not be configured (kubeconfig / service account). */
  NO_KUBE_CONFIG(6),
  /** The metrics/health port cannot be bound. */
  NO_METRICS_PORT(7);

  public final int code;

  ExitCode(int code) {
    this.code = code;
  }
}
