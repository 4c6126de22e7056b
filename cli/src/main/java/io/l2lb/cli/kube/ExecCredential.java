package io.l2lb.cli.kube;

import io.l2lb.cli.CliError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * client-go credential plugins ({@code users[].user.exec}): runs the command with {@code
 * KUBERNETES_EXEC_INFO} and reads the token or client certificate from its ExecCredential output.
 */
final class ExecCredential {
  private ExecCredential() {}

  record Result(String token, byte[] clientCertPem, byte[] clientKeyPem) {}

  static Result run(String context, Map<String, Object> exec) {
    Object command = exec.get("command");
    if (!(command instanceof String cmd) || cmd.isBlank()) {
      throw CliError.runtime(
          "exec credential plugin of context \"" + context + "\" has no command");
    }
    List<String> argv = new ArrayList<>();
    argv.add(cmd);
    for (Object a : Json.list(exec, "args")) {
      argv.add(String.valueOf(a));
    }
    String apiVersion =
        exec.get("apiVersion") instanceof String v ? v : "client.authentication.k8s.io/v1";
    ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
    for (Object e : Json.list(exec, "env")) {
      String name = Json.str(e, "name");
      if (name != null) {
        pb.environment().put(name, String.valueOf(Json.str(e, "value")));
      }
    }
    pb.environment()
        .put(
            "KUBERNETES_EXEC_INFO",
            "{\"apiVersion\":\""
                + apiVersion
                + "\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      if (rc != 0) {
        throw CliError.runtime(
            "exec credential plugin " + cmd + " of context \"" + context + "\" exited with " + rc);
      }
      Map<String, Object> cred = Json.parseObject(out);
      String token = Json.str(cred, "status", "token");
      String cert = Json.str(cred, "status", "clientCertificateData");
      String key = Json.str(cred, "status", "clientKeyData");
      return new Result(
          token,
          cert == null ? null : cert.getBytes(StandardCharsets.UTF_8),
          key == null ? null : key.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw CliError.runtime(
          "exec credential plugin "
              + cmd
              + " of context \""
              + context
              + "\" failed: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliError.runtime("interrupted");
    }
  }
}
