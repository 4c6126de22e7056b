package io.l2lb.cli;

import io.l2lb.cli.kube.Api;
import io.l2lb.cli.kube.KubeConfig;
import io.l2lb.cli.out.Format;
import io.l2lb.cli.out.Term;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * What one run of the CLI works with: its streams, environment and global options, and the API
 * client (built on first use, so offline commands never read a kubeconfig).
 */
public final class Ctx {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final PrintWriter err;
  private final InputStream in;
  private final Map<String, String> env;
  private final GlobalOptions global;
  private final Term term;
  private KubeConfig kubeConfig;
  private Api api;

  Ctx(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Map<String, String> env,
      GlobalOptions global,
      Term term) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = env;
    this.global = global;
    this.term = term;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public InputStream in() {
    return in;
  }

  public Map<String, String> env() {
    return env;
  }

  public GlobalOptions global() {
    return global;
  }

  public Term term() {
    return term;
  }

  public boolean colour() {
    return term.interactiveOut()
        && !global.noColor
        && (env.get("NO_COLOR") == null || env.get("NO_COLOR").isEmpty());
  }

  public Format format(Format... allowed) {
    return Format.parse(global.output, allowed);
  }

  public Duration requestTimeout() {
    return global.requestTimeout == null
        ? DEFAULT_TIMEOUT
        : Durations.parse("--request-timeout", global.requestTimeout);
  }

  public KubeConfig kubeConfig() {
    if (kubeConfig == null) {
      kubeConfig = KubeConfig.load(global.kubeconfig, env);
    }
    return kubeConfig;
  }

  public Api api() {
    if (api == null) {
      KubeConfig.Access access = kubeConfig().resolve(global.context, global.namespace, env);
      api = new Api(access, requestTimeout(), "kubectl-l2lb/" + Version.CLIENT);
    }
    return api;
  }

  /** The namespace to work in: -n, else the context's namespace, else default. */
  public String namespace() {
    return api().namespace();
  }

  public void warn(String message) {
    err.println((colour() ? Term.YELLOW + "warning:" + Term.RESET : "warning:") + " " + message);
    err.flush();
  }
}
