package io.l2lb.cli.cmd;

import io.l2lb.cli.Main;
import io.l2lb.cli.kube.TrainingServer;
import io.l2lb.cli.out.Term;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * Hidden: the launcher's training run. Runs the common read commands in-process against a loopback
 * {@link TrainingServer} with canned objects, so the class-data / AOT cache the launcher builds
 * from this run holds what a real run needs (picocli, kubeconfig YAML, TLS with a client
 * certificate, HTTP/1.1, JSON, tables). Prints nothing, touches no cluster.
 */
@Command(name = "__train", hidden = true)
public final class TrainCommand implements Runnable {

  private static final String ANNOUNCEMENT =
      "{\"apiVersion\":\"internal.network.deckhouse.io/v1alpha1\",\"kind\":\"L2Announcement\","
          + "\"metadata\":{\"name\":\"web-%1$d\",\"namespace\":\"default\",\"resourceVersion\":\"1\"},"
          + "\"spec\":{\"ip\":\"192.0.2.%1$d\",\"nodeName\":\"front-%1$d\",\"className\":\"front\","
          + "\"serviceRef\":{\"name\":\"web\",\"uid\":\"u\"}},"
          + "\"status\":{\"announcing\":true,\"mac\":\"02:00:00:00:00:0%1$d\",\"interface\":\"eth0\","
          + "\"since\":\"2026-01-01T00:00:00Z\"}}";

  @Override
  public void run() {
    try {
      train();
    } catch (Exception e) {
      // a training run that fails only makes a smaller cache
    }
  }

  private static void train() throws Exception {
    String list =
        "{\"kind\":\"L2AnnouncementList\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":["
            + String.format(ANNOUNCEMENT, 1)
            + ","
            + String.format(ANNOUNCEMENT, 2)
            + ","
            + String.format(ANNOUNCEMENT, 3)
            + "]}";
    String workload =
        "{\"kind\":\"Deployment\",\"spec\":{\"template\":{\"metadata\":{\"labels\":"
            + "{\"app.kubernetes.io/version\":\"0.0.0\"}}}}}";
    try (TrainingServer server =
        new TrainingServer(
            path ->
                path.contains("l2announcements")
                    ? list
                    : path.contains("/deployments/") || path.contains("/daemonsets/")
                        ? workload
                        : null)) {
      String cert = b64(TrainingServer.resource("cert.pem"));
      String key = b64(TrainingServer.resource("key.pem"));
      Path kubeconfig = Files.createTempFile("l2lb-train", ".kubeconfig");
      try {
        Files.writeString(
            kubeconfig,
            "apiVersion: v1\nkind: Config\ncurrent-context: train\n"
                + "clusters:\n- name: train\n  cluster:\n    server: https://127.0.0.1:"
                + server.port()
                + "\n    certificate-authority-data: "
                + cert
                + "\ncontexts:\n- name: train\n  context:\n    cluster: train\n    user: train\n"
                + "    namespace: default\n"
                + "users:\n- name: train\n  user:\n    client-certificate-data: "
                + cert
                + "\n    client-key-data: "
                + key
                + "\n");
        Map<String, String> env =
            Map.of("KUBECONFIG", kubeconfig.toString(), "HOME", "/nonexistent");
        for (String[] args :
            new String[][] {
              {"where", "-A"},
              {"where", "-A", "-o", "wide"},
              {"where", "web", "-o", "json"},
              {"version"},
              {"where", "--help"},
              {"where", "--bad-flag"}
            }) {
          PrintWriter sink =
              new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
          Main.execute(args, sink, sink, new ByteArrayInputStream(new byte[0]), env, Term.none());
        }
      } finally {
        Files.deleteIfExists(kubeconfig);
      }
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
