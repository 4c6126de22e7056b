package io.l2lb.core.placement;

import io.l2lb.core.model.ServiceKey;
import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.validation.Problem;
import java.util.List;

/**
 * The result for one Service that l2lb handles.
 *
 * @param className the bound class, or null when the Service asks for a class that does not exist
 * @param wanted how many IPs the Service should hold
 * @param ips the IPs it holds, ascending (status.loadBalancer.ingress)
 * @param problems this Service's own problems (its class, its annotations, its port clashes), never
 *     those of a Service it shares IPs with
 * @param conditions the class condition and AllPublicIPsAssigned, in that order
 */
public record ServiceOutcome(
    ServiceKey key,
    String className,
    int wanted,
    List<IpAddress> ips,
    List<Problem> problems,
    List<ConditionState> conditions) {

  public ServiceOutcome {
    ips = List.copyOf(ips);
    problems = List.copyOf(problems);
    conditions = List.copyOf(conditions);
  }

  public ConditionState condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
