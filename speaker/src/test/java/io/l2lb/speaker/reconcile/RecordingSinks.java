package io.l2lb.speaker.reconcile;

import io.l2lb.core.model.AnnouncementObject;
import io.l2lb.core.model.AnnouncementObject.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Status and Event sinks that remember what they were given. */
final class RecordingSinks implements StatusSink, EventSink {

  record Event(String key, String type, String reason, String message) {}

  private final Map<String, Status> statuses = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private int publishes;

  @Override
  public synchronized void publish(AnnouncementObject current, Status desired) {
    statuses.put(current.key(), desired);
    publishes++;
  }

  @Override
  public synchronized void normal(AnnouncementObject about, String reason, String message) {
    events.add(new Event(about.key(), "Normal", reason, message));
  }

  @Override
  public synchronized void warning(AnnouncementObject about, String reason, String message) {
    events.add(new Event(about.key(), "Warning", reason, message));
  }

  synchronized Status status(String key) {
    return statuses.get(key);
  }

  synchronized Map<String, Status> statuses() {
    return Map.copyOf(statuses);
  }

  synchronized int publishes() {
    return publishes;
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized List<Event> drainEvents() {
    List<Event> copy = List.copyOf(events);
    events.clear();
    return copy;
  }
}
