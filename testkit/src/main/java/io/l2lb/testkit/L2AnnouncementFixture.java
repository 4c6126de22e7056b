package io.l2lb.testkit;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.Names;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.L2AnnouncementSpec;
import io.l2lb.core.model.AnnouncementObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An L2Announcement (one announced IP), labelled the way a speaker's watch selects it:
 *
 * <pre>{@code
 * fixtures.announcement("web-192-0-2-100")
 *     .ip("192.0.2.100").node("front-0").service("web", "uid-web").className("front")
 *     .create();
 * fixtures.announcement("web-192-0-2-100").node("front-1").update();        // the operator moves it
 * fixtures.announcement("web-192-0-2-100").announcing("02:00:00:00:00:01", "eth0").update();
 * }</pre>
 *
 * <p>Labels follow the spec: {@link #node} sets {@code spec.nodeName} and the label {@value
 * Names.Labels#ANNOUNCEMENT_NODE} (an empty node sets neither label nor name: unannounced), {@link
 * #service} the label {@value Names.Labels#ANNOUNCEMENT_SERVICE}, {@link #className} the label
 * {@value Names.Labels#ANNOUNCEMENT_CLASS}. {@link #nodeLabel} makes the label disagree with the
 * spec (a label lagging behind a move). {@link #service(Service)} also adds the Service as
 * controlling owner, as the operator does.
 *
 * <p>Only what is set here is written ({@link #update()} leaves the rest as it is); nothing is
 * checked, so a test can send what the CRD must refuse. The status (the speaker's part) goes
 * through the status subresource after create/update.
 */
public final class L2AnnouncementFixture {

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Set<String> removedLabels = new LinkedHashSet<>();
  private String ip;
  private String node;
  private String serviceName;
  private String serviceUid;
  private OwnerReference owner;
  private String className;
  private List<String> interfaces;
  private AnnouncementObject.Status status;

  L2AnnouncementFixture(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = Objects.requireNonNull(name);
  }

  /** {@code spec.ip}. */
  public L2AnnouncementFixture ip(String value) {
    ip = value;
    return this;
  }

  /**
   * {@code spec.nodeName} and the node label; {@code ""} (or null) means placed on no node: the
   * name is cleared and the label removed.
   */
  public L2AnnouncementFixture node(String nodeName) {
    node = nodeName == null ? "" : nodeName;
    if (node.isEmpty()) {
      labels.remove(Names.Labels.ANNOUNCEMENT_NODE);
      removedLabels.add(Names.Labels.ANNOUNCEMENT_NODE);
    } else {
      labels.put(Names.Labels.ANNOUNCEMENT_NODE, node);
      removedLabels.remove(Names.Labels.ANNOUNCEMENT_NODE);
    }
    return this;
  }

  /** Only the node label (call after {@link #node}), e.g. one that lags behind the spec. */
  public L2AnnouncementFixture nodeLabel(String nodeName) {
    labels.put(Names.Labels.ANNOUNCEMENT_NODE, nodeName);
    removedLabels.remove(Names.Labels.ANNOUNCEMENT_NODE);
    return this;
  }

  /** {@code spec.serviceRef} (name and uid) and the service label. */
  public L2AnnouncementFixture service(String name, String uid) {
    serviceName = name;
    serviceUid = uid;
    labels.put(Names.Labels.ANNOUNCEMENT_SERVICE, name);
    return this;
  }

  /** {@link #service(String, String)} of an existing Service, which also becomes the owner. */
  public L2AnnouncementFixture service(Service service) {
    service(service.getMetadata().getName(), service.getMetadata().getUid());
    owner =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("Service")
            .withName(service.getMetadata().getName())
            .withUid(service.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(true)
            .build();
    return this;
  }

  /** {@code spec.className} and the class label. */
  public L2AnnouncementFixture className(String value) {
    className = value;
    labels.put(Names.Labels.ANNOUNCEMENT_CLASS, value);
    return this;
  }

  /** {@code spec.interfaces}. */
  public L2AnnouncementFixture interfaces(String... names) {
    interfaces = List.of(names);
    return this;
  }

  public L2AnnouncementFixture label(String key, String value) {
    labels.put(key, value);
    removedLabels.remove(key);
    return this;
  }

  public L2AnnouncementFixture withoutLabel(String key) {
    labels.remove(key);
    removedLabels.add(key);
    return this;
  }

  /** The status a speaker writes while it answers: {@code since} is now (whole seconds). */
  public L2AnnouncementFixture announcing(String mac, String interfaceName) {
    return status(
        AnnouncementObject.Status.announcing(
            mac, interfaceName, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  /** The status a speaker writes when it does not answer, and why. */
  public L2AnnouncementFixture notAnnouncing(String message) {
    return status(AnnouncementObject.Status.notAnnouncing(message));
  }

  /** Any status, written through the status subresource after create/update. */
  public L2AnnouncementFixture status(AnnouncementObject.Status value) {
    status = value;
    return this;
  }

  /** The object as set here, not sent anywhere. */
  public L2Announcement build() {
    L2Announcement a = new L2Announcement();
    a.getMetadata().setName(name);
    a.getMetadata().setNamespace(namespace);
    if (!labels.isEmpty()) {
      a.getMetadata().setLabels(new LinkedHashMap<>(labels));
    }
    if (owner != null) {
      a.getMetadata().setOwnerReferences(new ArrayList<>(List.of(owner)));
    }
    L2AnnouncementSpec spec = new L2AnnouncementSpec();
    applySpec(spec);
    a.setSpec(spec);
    return a;
  }

  /** Creates the object (fails if it exists), then writes the status if one was set. */
  public L2Announcement create() {
    client.resource(build()).create();
    return writeStatus();
  }

  /** Changes the spec fields, labels and owner set here on the existing object. */
  public L2Announcement update() {
    resource()
        .edit(
            a -> {
              if (a.getSpec() == null) {
                a.setSpec(new L2AnnouncementSpec());
              }
              applySpec(a.getSpec());
              Map<String, String> l =
                  new LinkedHashMap<>(Fixtures.orEmpty(a.getMetadata().getLabels()));
              l.putAll(labels);
              removedLabels.forEach(l::remove);
              a.getMetadata().setLabels(l);
              if (owner != null) {
                a.getMetadata().setOwnerReferences(new ArrayList<>(List.of(owner)));
              }
              return a;
            });
    return writeStatus();
  }

  /** {@link #create()} if the object does not exist, else {@link #update()}. */
  public L2Announcement apply() {
    return resource().get() == null ? create() : update();
  }

  private io.fabric8.kubernetes.client.dsl.Resource<L2Announcement> resource() {
    return client.resources(L2Announcement.class).inNamespace(namespace).withName(name);
  }

  private void applySpec(L2AnnouncementSpec spec) {
    if (ip != null) {
      spec.setIp(ip);
    }
    if (node != null) {
      spec.setNodeName(node.isEmpty() ? null : node);
    }
    if (serviceName != null) {
      spec.setServiceRef(new L2AnnouncementSpec.ServiceRef(serviceName, serviceUid));
    }
    if (className != null) {
      spec.setClassName(className);
    }
    if (interfaces != null) {
      spec.setInterfaces(new ArrayList<>(interfaces));
    }
  }

  private L2Announcement writeStatus() {
    if (status == null) {
      return resource().get();
    }
    return resource()
        .editStatus(
            a -> {
              a.setStatus(status.toResource());
              return a;
            });
  }
}
