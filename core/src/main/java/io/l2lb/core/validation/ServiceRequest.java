package io.l2lb.core.validation;

import io.l2lb.core.pool.IpAddress;
import java.util.List;
import java.util.OptionalInt;

/**
 * What a Service's annotations ask for, once parsed against its class's pool.
 *
 * @param count the explicit count annotation, if given and valid
 * @param requestedIps explicit IPs, in the order written (empty = none requested)
 * @param sharedKey IP sharing key, or null
 * @param problems every error found; when not empty the request must not change the Service's IPs
 *     (an invalid annotation never takes IPs away)
 */
public record ServiceRequest(
    OptionalInt count, List<IpAddress> requestedIps, String sharedKey, List<Problem> problems) {
  public ServiceRequest {
    requestedIps = List.copyOf(requestedIps);
    problems = List.copyOf(problems);
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** How many IPs the Service should hold: the count, else the number of listed IPs, else 1. */
  public int wantedCount() {
    if (count.isPresent()) return count.getAsInt();
    return requestedIps.isEmpty() ? 1 : requestedIps.size();
  }
}
