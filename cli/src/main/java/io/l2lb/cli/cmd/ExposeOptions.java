package io.l2lb.cli.cmd;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What both expose commands take: how many IPs, from which class, and whether to wait. */
public final class ExposeOptions {
  @Option(
      names = "--ips",
      paramLabel = "N",
      description = "How many public IPs (each announced from a different node when possible).")
  Integer ips;

  @Option(
      names = "--class",
      paramLabel = "CLASS",
      description = "MetalLoadBalancerClass (default: the default class).")
  String className;

  @Option(
      names = "--ip",
      split = ",",
      paramLabel = "IP",
      description = "Exactly these IPs (from the class pool), comma-separated.")
  List<String> ipList = new ArrayList<>();

  @Option(
      names = "--wait",
      arity = "0..1",
      fallbackValue = "2m",
      paramLabel = "DURATION",
      description =
          "Wait until every IP is assigned (default 2m when given without a value), then print them and the DNS A records to publish.")
  String wait;

  @Option(
      names = "--dns-name",
      paramLabel = "NAME",
      description = "Name for the printed DNS A records (default SERVICE.NAMESPACE.example.com).")
  String dnsName;
}
