package io.l2lb.speaker.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A node's interfaces by hand: name -> its addresses. */
public final class FakeInterfaces implements InterfaceLocator {

  private final Map<String, List<String>> interfaces = new LinkedHashMap<>();

  public FakeInterfaces with(String name, String... addresses) {
    interfaces.put(name, List.of(addresses));
    return this;
  }

  @Override
  public boolean exists(String name) {
    return interfaces.containsKey(name);
  }

  @Override
  public Optional<String> holding(String ipLiteral) {
    return interfaces.entrySet().stream()
        .filter(e -> e.getValue().contains(ipLiteral))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  @Override
  public List<String> names() {
    return List.copyOf(interfaces.keySet());
  }
}
