package io.l2lb.core.placement;

import io.l2lb.core.pool.IpAddress;
import io.l2lb.core.pool.IpFamily;
import java.nio.charset.StandardCharsets;

/**
 * The last word of the placement rule: of two candidate nodes that are equal on everything else
 * ({@link NodeChoice}), the one with the lower {@code hash(node, ip)} gets the IP. Spreading by a
 * hash of the pair, rather than by name order, keeps a node's IPs from all landing on the same
 * neighbour when it fails.
 *
 * <p>Exactly what is computed, as 64-bit arithmetic modulo 2<sup>64</sup>:
 *
 * <pre>
 * fnv1a64(bytes)  = h := 0xcbf29ce484222325; for each byte b: h := (h XOR b) * 0x100000001b3
 * fmix64(h)       = h ^= h >>> 33; h *= 0xff51afd7ed558ccd; h ^= h >>> 33;
 *                   h *= 0xc4ceb9fe1a85ec53; h ^= h >>> 33
 * nodeKey(node)   = fnv1a64(UTF-8 bytes of the node name)
 * ipKey(ip)       = fnv1a64(tag, address bytes): tag 0x04 then the 4 bytes of an IPv4 address,
 *                   tag 0x06 then the 16 bytes of an IPv6 address, both in network byte order
 * hash(node, ip)  = fmix64(nodeKey(node) XOR ipKey(ip)), compared as an unsigned number
 * </pre>
 *
 * The inputs are the node name and the address bytes only: no enum ordinal, no {@code hashCode()}
 * of any class, nothing a refactoring could change by accident. For one IP, {@code fmix64} is a
 * bijection, so two nodes tie only when their names collide under FNV-1a; then the node whose name
 * sorts first wins.
 *
 * <p><b>Stability across versions.</b> An upgraded operator recomputes every placement; if it
 * hashed differently, IPs would move on upgrade wherever the rule comes down to the hash. This
 * definition replaced an earlier one (which mixed in {@code IpAddress.hashCode()}, and through it
 * the ordinal of {@link IpFamily}) in 0.1.0, before any release; that was the last change. It is
 * pinned by {@code TieBreakTest}: a failing golden value there means placements would move on
 * upgrade, so fix the code, not the table.
 */
final class TieBreak {
  private TieBreak() {}

  static final long FNV_OFFSET = 0xcbf29ce484222325L;
  static final long FNV_PRIME = 0x100000001b3L;
  static final byte IPV4_TAG = 0x04;
  static final byte IPV6_TAG = 0x06;

  static long nodeKey(String nodeName) {
    long h = FNV_OFFSET;
    for (byte b : nodeName.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    return h;
  }

  static long ipKey(IpAddress ip) {
    byte[] bytes = ip.toBytes(); // network byte order: 4 bytes for IPv4, 16 for IPv6
    long h = (FNV_OFFSET ^ (bytes.length == 4 ? IPV4_TAG : IPV6_TAG)) * FNV_PRIME;
    for (byte b : bytes) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    return h;
  }

  static long hash(long nodeKey, long ipKey) {
    long h = nodeKey ^ ipKey;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  static long hash(String nodeName, IpAddress ip) {
    return hash(nodeKey(nodeName), ipKey(ip));
  }
}
