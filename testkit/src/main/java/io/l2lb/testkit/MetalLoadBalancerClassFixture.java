package io.l2lb.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.core.api.MetalLoadBalancerClassSpec;
import io.l2lb.core.api.MetalLoadBalancerClassStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A MetalLoadBalancerClass, as a user (or {@code kubectl l2lb}) writes it:
 *
 * <pre>{@code
 * fixtures.mlbc("front").pool("192.0.2.100-192.0.2.150").nodeSelector("node-role", "front").create();
 * fixtures.mlbc("front").pool("192.0.2.100-192.0.2.120").update();   // shrink the pool
 * }</pre>
 *
 * Only what is set here is written: {@link #build()} leaves the rest to the CRD defaults ({@code
 * type: L2}, {@code isDefault: false}), {@link #update()} changes only the fields set here, and
 * {@link #status} (the operator's part) goes through the status subresource. Nothing is checked
 * here, so a test can also send what the API server must refuse. Classes are cluster-scoped and
 * shared by every test of the JVM: use unique names, or {@link Fixtures#deleteMlbc} them.
 */
public final class MetalLoadBalancerClassFixture {

  private final KubernetesClient client;
  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private List<String> pool;
  private Map<String, String> nodeSelector;
  private List<String> interfaces;
  private Boolean isDefault;
  private String type;
  private MetalLoadBalancerClassStatus status;

  MetalLoadBalancerClassFixture(KubernetesClient client, String name) {
    this.client = client;
    this.name = Objects.requireNonNull(name);
  }

  /** Adds entries to {@code spec.addressPool} (CIDRs or ranges), in this order. */
  public MetalLoadBalancerClassFixture pool(String... entries) {
    if (pool == null) {
      pool = new ArrayList<>();
    }
    pool.addAll(List.of(entries));
    return this;
  }

  /** Adds a label to {@code spec.nodeSelector}. */
  public MetalLoadBalancerClassFixture nodeSelector(String key, String value) {
    if (nodeSelector == null) {
      nodeSelector = new LinkedHashMap<>();
    }
    nodeSelector.put(key, value);
    return this;
  }

  /** {@code spec.l2.interfaces}. */
  public MetalLoadBalancerClassFixture interfaces(String... names) {
    interfaces = List.of(names);
    return this;
  }

  /** {@code spec.isDefault: true}. */
  public MetalLoadBalancerClassFixture isDefault() {
    return isDefault(true);
  }

  public MetalLoadBalancerClassFixture isDefault(boolean value) {
    isDefault = value;
    return this;
  }

  /** {@code spec.type} (only {@code L2} is valid; anything else is for testing refusals). */
  public MetalLoadBalancerClassFixture type(String value) {
    type = value;
    return this;
  }

  public MetalLoadBalancerClassFixture label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  /**
   * A status to write through the status subresource after create/update, as the operator would.
   */
  public MetalLoadBalancerClassFixture status(MetalLoadBalancerClassStatus value) {
    status = value;
    return this;
  }

  /** The object as set here, not sent anywhere. */
  public MetalLoadBalancerClass build() {
    MetalLoadBalancerClass c = new MetalLoadBalancerClass();
    c.getMetadata().setName(name);
    if (!labels.isEmpty()) {
      c.getMetadata().setLabels(new LinkedHashMap<>(labels));
    }
    MetalLoadBalancerClassSpec spec = new MetalLoadBalancerClassSpec();
    applySpec(spec);
    c.setSpec(spec);
    return c;
  }

  /** Creates the class (fails if it exists), then writes the status if one was set. */
  public MetalLoadBalancerClass create() {
    MetalLoadBalancerClass created = client.resource(build()).create();
    return writeStatus(created);
  }

  /**
   * Changes the spec fields and labels set here on the existing class (a pool set here replaces).
   */
  public MetalLoadBalancerClass update() {
    MetalLoadBalancerClass updated =
        client
            .resources(MetalLoadBalancerClass.class)
            .withName(name)
            .edit(
                c -> {
                  if (c.getSpec() == null) {
                    c.setSpec(new MetalLoadBalancerClassSpec());
                  }
                  applySpec(c.getSpec());
                  if (!labels.isEmpty()) {
                    Map<String, String> l =
                        new LinkedHashMap<>(Fixtures.orEmpty(c.getMetadata().getLabels()));
                    l.putAll(labels);
                    c.getMetadata().setLabels(l);
                  }
                  return c;
                });
    return writeStatus(updated);
  }

  /** {@link #create()} if the class does not exist, else {@link #update()}. */
  public MetalLoadBalancerClass apply() {
    return client.resources(MetalLoadBalancerClass.class).withName(name).get() == null
        ? create()
        : update();
  }

  private void applySpec(MetalLoadBalancerClassSpec spec) {
    if (pool != null) {
      spec.setAddressPool(new ArrayList<>(pool));
    }
    if (nodeSelector != null) {
      spec.setNodeSelector(new LinkedHashMap<>(nodeSelector));
    }
    if (interfaces != null) {
      MetalLoadBalancerClassSpec.L2Settings l2 = new MetalLoadBalancerClassSpec.L2Settings();
      l2.setInterfaces(new ArrayList<>(interfaces));
      spec.setL2(l2);
    }
    if (isDefault != null) {
      spec.setIsDefault(isDefault);
    }
    if (type != null) {
      spec.setType(type);
    }
  }

  private MetalLoadBalancerClass writeStatus(MetalLoadBalancerClass current) {
    if (status == null) {
      return current;
    }
    return client
        .resources(MetalLoadBalancerClass.class)
        .withName(name)
        .editStatus(
            c -> {
              c.setStatus(status);
              return c;
            });
  }
}
