package io.l2lb.speaker.wire;

import java.util.List;
import java.util.Optional;

/** The node's network interfaces, as far as choosing where to announce needs them. */
public interface InterfaceLocator {

  boolean exists(String name);

  /** The interface that carries {@code ipLiteral} as one of its own addresses. */
  Optional<String> holding(String ipLiteral);

  /** Every interface name, for error messages ("interfaces here: lo, eth0"). */
  List<String> names();
}
