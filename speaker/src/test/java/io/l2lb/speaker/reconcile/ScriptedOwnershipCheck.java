package io.l2lb.speaker.reconcile;

import io.l2lb.speaker.announce.OwnershipCheck;
import io.l2lb.speaker.wire.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Answers what the test says: confirmed, not confirmed, or "API unreachable" (fails). */
final class ScriptedOwnershipCheck implements OwnershipCheck {

  enum Answer {
    CONFIRMED,
    NOT_CONFIRMED,
    UNREACHABLE
  }

  private Answer answer = Answer.UNREACHABLE;
  private final List<InetAddress> asked = new ArrayList<>();

  synchronized void answer(Answer a) {
    answer = a;
  }

  synchronized List<InetAddress> asked() {
    return List.copyOf(asked);
  }

  @Override
  public synchronized CompletionStage<Boolean> confirm(InetAddress ip, MacAddress rivalMac) {
    asked.add(ip);
    return switch (answer) {
      case CONFIRMED -> CompletableFuture.completedFuture(true);
      case NOT_CONFIRMED -> CompletableFuture.completedFuture(false);
      case UNREACHABLE ->
          CompletableFuture.failedFuture(new java.net.ConnectException("connection refused"));
    };
  }
}
