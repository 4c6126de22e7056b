package io.l2lb.speaker.wire;

import io.l2lb.core.pool.IpAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Small helpers for IP addresses that never touch DNS. */
public final class Ip {

  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private Ip() {}

  /**
   * Parses an IPv4 or IPv6 literal. Names are refused up front, so {@link InetAddress#getByName}
   * can only take its literal path and never resolves.
   */
  public static InetAddress parse(String literal) {
    String s = literal.trim();
    boolean v6 = s.contains(":");
    if (!(v6 ? V6.matcher(s).matches() : V4.matcher(s).matches())) {
      throw new IllegalArgumentException("not an IP address literal: " + literal);
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: " + literal, e);
    }
  }

  public static Inet4Address parse4(String literal) {
    if (parse(literal) instanceof Inet4Address a) {
      return a;
    }
    throw new IllegalArgumentException("not an IPv4 literal: " + literal);
  }

  public static Inet6Address parse6(String literal) {
    if (parse(literal) instanceof Inet6Address a) {
      return a;
    }
    throw new IllegalArgumentException("not an IPv6 literal: " + literal);
  }

  static Inet4Address read4(byte[] frame, int offset) {
    byte[] b = new byte[4];
    System.arraycopy(frame, offset, b, 0, 4);
    return (Inet4Address) of(b);
  }

  /**
   * Reads 16 bytes as IPv6. Always an {@link Inet6Address}: {@code InetAddress.getByAddress} would
   * turn an IPv4-mapped address into an {@code Inet4Address}.
   */
  static Inet6Address read6(byte[] frame, int offset) {
    byte[] b = new byte[16];
    System.arraycopy(frame, offset, b, 0, 16);
    try {
      return Inet6Address.getByAddress(null, b, null);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 16 bytes are always a valid IPv6 address
    }
  }

  static InetAddress of(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address length " + raw.length, e);
    }
  }

  /** Solicited-node multicast group of an IPv6 address (RFC 4291 2.7.1): ff02::1:ffXX:XXXX. */
  public static Inet6Address solicitedNode(Inet6Address address) {
    byte[] a = address.getAddress();
    byte[] g = new byte[16];
    g[0] = (byte) 0xFF;
    g[1] = 0x02;
    g[11] = 0x01;
    g[12] = (byte) 0xFF;
    g[13] = a[13];
    g[14] = a[14];
    g[15] = a[15];
    try {
      return Inet6Address.getByAddress(null, g, null);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Dotted quad, or RFC 5952 for IPv6 ({@code 2001:db8::100}, not Java's {@code
   * 2001:db8:0:0:0:0:0:100}): the form people and the API objects use.
   */
  public static String text(InetAddress address) {
    String full = address.getHostAddress();
    int zone = full.indexOf('%');
    String bare = zone < 0 ? full : full.substring(0, zone);
    return IpAddress.tryParse(bare).map(IpAddress::toString).orElse(full);
  }
}
