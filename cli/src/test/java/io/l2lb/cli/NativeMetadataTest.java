package io.l2lb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.l2lb.core.api.L2Announcement;
import io.l2lb.core.api.MetalLoadBalancerClass;
import io.l2lb.testkit.RepoRoot;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The native image's reflection metadata for the fabric8 model: the CLI turns API JSON into typed
 * objects with Jackson (io.l2lb.cli.Cluster#typed) for exactly these root types, so every class
 * reachable through their fields (generic arguments included) needs its constructors, fields and
 * methods registered. fabric8's jars ship no such metadata; this file is it, generated from the
 * model and drift-checked like completions/ (-Dl2lb.updateNativeMetadata=true rewrites it).
 */
class NativeMetadataTest {
  static final List<Class<?>> ROOTS =
      List.of(
          MetalLoadBalancerClass.class,
          L2Announcement.class,
          Node.class,
          Service.class,
          EndpointSlice.class);

  static final Path FILE =
      RepoRoot.get()
          .resolve(
              "cli/src/main/resources/META-INF/native-image/io.l2lb/l2lb-cli/reflect-config.json");

  static String generate() {
    TreeSet<String> names = new TreeSet<>();
    Deque<Type> todo = new ArrayDeque<>(ROOTS);
    while (!todo.isEmpty()) {
      Type t = todo.pop();
      if (t instanceof ParameterizedType p) {
        todo.push(p.getRawType());
        for (Type a : p.getActualTypeArguments()) {
          todo.push(a);
        }
        continue;
      }
      if (!(t instanceof Class<?> c) || c.isPrimitive() || c.isArray()) {
        continue;
      }
      String n = c.getName();
      if (!(n.startsWith("io.fabric8.") || n.startsWith("io.l2lb.")) || !names.add(n)) {
        continue;
      }
      if (c.getSuperclass() != null) {
        todo.push(c.getSuperclass());
      }
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          todo.push(f.getGenericType());
        }
      }
      for (Class<?> inner : c.getDeclaredClasses()) {
        todo.push(inner);
      }
    }
    StringBuilder b = new StringBuilder("[\n");
    String sep = "";
    for (String n : names) {
      b.append(sep)
          .append("  {\"name\": \"")
          .append(n)
          .append("\", \"allDeclaredConstructors\": true, \"allDeclaredMethods\": true,")
          .append(" \"allDeclaredFields\": true}");
      sep = ",\n";
    }
    return b.append("\n]\n").toString();
  }

  @Test
  void fabric8ModelMetadataIsTheGeneratedOne() throws IOException {
    String want = generate();
    if (Boolean.getBoolean("l2lb.updateNativeMetadata")) {
      Files.writeString(FILE, want);
    }
    assertThat(want).contains("\"io.fabric8.kubernetes.api.model.ServiceSpec\"");
    assertThat(FILE)
        .as(
            "%s differs from the model: rewrite it with ./mvnw -pl cli -am test"
                + " -Dtest=NativeMetadataTest -Dl2lb.updateNativeMetadata=true"
                + " -Dsurefire.failIfNoSpecifiedTests=false",
            FILE)
        .hasContent(want);
  }
}
