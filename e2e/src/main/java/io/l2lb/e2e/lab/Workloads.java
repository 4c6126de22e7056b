package io.l2lb.e2e.lab;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the Deployment and DaemonSet controllers for the shipped workloads: the lab runs the
 * operator and the speakers as plain processes, and this reports them in the workloads' status
 * (ready = running), so {@code kubectl l2lb status} and {@code version} see the lab as they would
 * see a cluster.
 */
final class Workloads implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Workloads.class);

  private final KubernetesClient client;
  private final IntSupplier operatorsRunning;
  private final IntSupplier speakersWanted;
  private final IntSupplier speakersRunning;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lab-workloads");
            t.setDaemon(true);
            return t;
          });

  Workloads(
      KubernetesClient client,
      IntSupplier operatorsRunning,
      IntSupplier speakersWanted,
      IntSupplier speakersRunning) {
    this.client = client;
    this.operatorsRunning = operatorsRunning;
    this.speakersWanted = speakersWanted;
    this.speakersRunning = speakersRunning;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::sync, 0, 2, TimeUnit.SECONDS);
  }

  private void sync() {
    try {
      Deployment d =
          client
              .apps()
              .deployments()
              .inNamespace(Names.Components.NAMESPACE)
              .withName(Names.Components.OPERATOR)
              .get();
      if (d != null) {
        int running = operatorsRunning.getAsInt();
        d.setStatus(
            new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(running)
                .withUpdatedReplicas(running)
                .withReadyReplicas(running)
                .withAvailableReplicas(running)
                .build());
        client
            .apps()
            .deployments()
            .inNamespace(Names.Components.NAMESPACE)
            .resource(d)
            .updateStatus();
      }
      DaemonSet ds =
          client
              .apps()
              .daemonSets()
              .inNamespace(Names.Components.NAMESPACE)
              .withName(Names.Components.SPEAKER)
              .get();
      if (ds != null) {
        int wanted = speakersWanted.getAsInt();
        int running = speakersRunning.getAsInt();
        ds.setStatus(
            new DaemonSetStatusBuilder()
                .withObservedGeneration(ds.getMetadata().getGeneration())
                .withDesiredNumberScheduled(wanted)
                .withCurrentNumberScheduled(wanted)
                .withUpdatedNumberScheduled(wanted)
                .withNumberReady(running)
                .withNumberAvailable(running)
                .withNumberMisscheduled(0)
                .build());
        client
            .apps()
            .daemonSets()
            .inNamespace(Names.Components.NAMESPACE)
            .resource(ds)
            .updateStatus();
      }
    } catch (RuntimeException e) {
      LOG.debug("workload status not written (retried): {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
