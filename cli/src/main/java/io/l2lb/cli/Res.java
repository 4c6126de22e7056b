package io.l2lb.cli;

import io.l2lb.core.Names;

/** REST paths of the resources the CLI reads and writes. */
public final class Res {
  private Res() {}

  public static final String CLASSES =
      "/apis/" + Names.API_GROUP + "/" + Names.API_VERSION + "/metalloadbalancerclasses";
  public static final String NODES = "/api/v1/nodes";
  public static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  public static final String CLASS_CRD = "metalloadbalancerclasses." + Names.API_GROUP;
  public static final String ANNOUNCEMENT_CRD = "l2announcements." + Names.INTERNAL_API_GROUP;

  public static String cls(String name) {
    return CLASSES + "/" + name;
  }

  /** L2Announcements of one namespace, or of all when {@code ns} is null. */
  public static String announcements(String ns) {
    String base = "/apis/" + Names.INTERNAL_API_GROUP + "/" + Names.API_VERSION;
    return ns == null ? base + "/l2announcements" : base + "/namespaces/" + ns + "/l2announcements";
  }

  public static String services(String ns) {
    return ns == null ? "/api/v1/services" : "/api/v1/namespaces/" + ns + "/services";
  }

  public static String service(String ns, String name) {
    return services(ns) + "/" + name;
  }

  public static String endpointSlices(String ns) {
    return ns == null
        ? "/apis/discovery.k8s.io/v1/endpointslices"
        : "/apis/discovery.k8s.io/v1/namespaces/" + ns + "/endpointslices";
  }

  public static String leases(String ns) {
    return "/apis/coordination.k8s.io/v1/namespaces/" + ns + "/leases";
  }

  public static String deployment(String ns, String name) {
    return "/apis/apps/v1/namespaces/" + ns + "/deployments/" + name;
  }

  public static String daemonSet(String ns, String name) {
    return "/apis/apps/v1/namespaces/" + ns + "/daemonsets/" + name;
  }

  public static String crd(String name) {
    return CRDS + "/" + name;
  }
}
