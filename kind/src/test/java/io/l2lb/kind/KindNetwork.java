package io.l2lb.kind;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A Docker bridge network of its own for one kind cluster (kind takes it through {@code
 * KIND_EXPERIMENTAL_DOCKER_NETWORK}), with room for public IPs that Docker never hands out.
 *
 * <p>Why not kind's shared {@code kind} network: it has no {@code IPRange}, so Docker's IPAM may
 * give any address of its /16 to the next container, and a pool taken from it could collide with a
 * node or with another suite's cluster. Here the subnet is a /24 whose IPAM range is only its lower
 * half ({@code .0/25}: the gateway, the node containers, the client); the public IPs of the story's
 * class come from the upper half, which no container can get. The subnet is one no Docker network
 * and no route of this machine uses.
 */
final class KindNetwork implements AutoCloseable {

  static final String LABEL = "io.l2lb.kind.suite";

  private final DockerClient docker;
  private final String name;
  private final String id;
  private final int[] prefix; // the first three octets of the /24

  private KindNetwork(DockerClient docker, String name, String id, int[] prefix) {
    this.docker = docker;
    this.name = name;
    this.id = id;
    this.prefix = prefix;
  }

  /** Creates network {@code name} on a free 172.20-31.x.0/24, IPAM range its lower half. */
  static KindNetwork create(DockerClient docker, String name, String suite) {
    List<long[]> taken = takenRanges(docker);
    Random random = new Random();
    List<String> tried = new ArrayList<>();
    for (int attempt = 0; attempt < 40; attempt++) {
      int[] p = {172, 20 + random.nextInt(12), random.nextInt(256)};
      long base = ((long) p[0] << 24) | ((long) p[1] << 16) | ((long) p[2] << 8);
      if (taken.stream().anyMatch(r -> base <= r[1] && base + 255 >= r[0])) {
        continue;
      }
      String subnet = dotted(p, 0) + "/24";
      try {
        String id =
            docker
                .createNetworkCmd()
                .withName(name)
                .withDriver("bridge")
                .withCheckDuplicate(true)
                .withLabels(Map.of(LABEL, suite))
                .withIpam(
                    new Network.Ipam()
                        .withConfig(
                            new Network.Ipam.Config()
                                .withSubnet(subnet)
                                .withIpRange(dotted(p, 0) + "/25")
                                .withGateway(dotted(p, 1))))
                .exec()
                .getId();
        KindCluster.log(
            name,
            "Docker network "
                + name
                + ": "
                + subnet
                + ", Docker's IPAM range "
                + dotted(p, 0)
                + "/25, public IPs from the upper half");
        return new KindNetwork(docker, name, id, p);
      } catch (DockerException e) {
        // another network took it meanwhile ("Pool overlaps"): the next candidate
        tried.add(subnet + " (" + e.getMessage().strip() + ")");
      }
    }
    throw new AssertionError("no free /24 in 172.20.0.0-172.31.255.255 for " + name + ": " + tried);
  }

  String name() {
    return name;
  }

  /** {@code first}-{@code last} (host parts in the upper half, 128-254) of this /24, as a range. */
  String range(int first, int last) {
    if (first < 128 || last > 254 || first > last) {
      throw new IllegalArgumentException("host parts " + first + "-" + last + " not in 128-254");
    }
    return dotted(prefix, first) + "-" + dotted(prefix, last);
  }

  /** Whether {@code ip} lies in this /24's upper half (outside Docker's IPAM range). */
  boolean inUpperHalf(String ip) {
    String[] o = ip.split("\\.");
    return o.length == 4
        && Integer.parseInt(o[0]) == prefix[0]
        && Integer.parseInt(o[1]) == prefix[1]
        && Integer.parseInt(o[2]) == prefix[2]
        && Integer.parseInt(o[3]) >= 128;
  }

  @Override
  public void close() {
    if ("1".equals(System.getenv("L2LB_KIND_KEEP"))) {
      KindCluster.log(
          name, "network kept (L2LB_KIND_KEEP=1); remove with: docker network rm " + name);
      return;
    }
    try {
      docker.removeNetworkCmd(id).exec();
    } catch (DockerException e) {
      KindCluster.log(name, "could not remove network " + name + ": " + e.getMessage());
    }
  }

  private static String dotted(int[] p, int host) {
    return p[0] + "." + p[1] + "." + p[2] + "." + host;
  }

  /** [first, last] of every IPv4 subnet of a Docker network and every route of this machine. */
  private static List<long[]> takenRanges(DockerClient docker) {
    List<long[]> taken = new ArrayList<>();
    for (Network n : docker.listNetworksCmd().exec()) {
      if (n.getIpam() == null || n.getIpam().getConfig() == null) {
        continue;
      }
      for (Network.Ipam.Config c : n.getIpam().getConfig()) {
        if (c.getSubnet() != null && c.getSubnet().matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+")) {
          String[] s = c.getSubnet().split("/");
          taken.add(span(toLong(s[0]), Integer.parseInt(s[1])));
        }
      }
    }
    try {
      // header, then: Iface Destination Gateway Flags RefCnt Use Metric Mask ...: little-endian hex
      List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 8) {
          continue;
        }
        long dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16)) & 0xffffffffL;
        long mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16)) & 0xffffffffL;
        if (mask != 0) { // the default route covers everything and says nothing
          taken.add(new long[] {dest & mask, (dest & mask) | (~mask & 0xffffffffL)});
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return taken;
  }

  private static long[] span(long address, int bits) {
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return new long[] {address & mask, (address & mask) | (~mask & 0xffffffffL)};
  }

  private static long toLong(String dotted) {
    long v = 0;
    for (String o : dotted.split("\\.")) {
      v = (v << 8) | Integer.parseInt(o);
    }
    return v;
  }
}
