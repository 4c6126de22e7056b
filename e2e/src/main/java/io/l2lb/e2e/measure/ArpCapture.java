package io.l2lb.e2e.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ARP traffic seen on the client's link ({@code tcpdump -i eth0 -n -e -l -tt arp}) as data: for
 * every IP, who claimed it and when — replies ({@code Reply IP is-at MAC}) and gratuitous ARPs (a
 * request or reply whose sender and target IP are the same).
 *
 * <p>A <em>dual answer</em> is what must never happen: after a new MAC has claimed an IP, the old
 * MAC claims it again. Each one is reported as an interval from the new MAC's first claim to the
 * old MAC's later one.
 */
public final class ArpCapture {
  // 1764590000.123456 aa:bb:cc:dd:ee:ff > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42:
  // Reply 192.0.2.100 is-at aa:bb:cc:dd:ee:ff, length 28
  private static final Pattern REPLY =
      Pattern.compile(
          "^(\\d+)\\.(\\d{6}) ([0-9a-f:]{17}) > [0-9a-f:]{17}, .*: Reply (\\S+) is-at ([0-9a-f:]{17})");
  // ... Request who-has 192.0.2.100 (ff:ff:ff:ff:ff:ff) tell 192.0.2.100, length 28
  private static final Pattern GRATUITOUS_REQUEST =
      Pattern.compile(
          "^(\\d+)\\.(\\d{6}) ([0-9a-f:]{17}) > [0-9a-f:]{17}, .*: Request who-has (\\S+)(?: \\([0-9a-f:]{17}\\))? tell (\\S+),");

  /** One claim of {@code ip} by {@code mac} at {@code micros} (epoch microseconds). */
  public record Claim(long micros, String ip, String mac, boolean gratuitous) {}

  /**
   * After {@code newMac} claimed {@code ip} at {@code fromMicros}, {@code oldMac} claimed it again
   * at {@code toMicros}.
   */
  public record DualAnswer(
      String ip, String oldMac, String newMac, long fromMicros, long toMicros) {}

  private final List<Claim> claims;

  private ArpCapture(List<Claim> claims) {
    this.claims = List.copyOf(claims);
  }

  public static ArpCapture parse(List<String> tcpdumpLines) {
    List<Claim> out = new ArrayList<>();
    for (String line : tcpdumpLines) {
      Matcher r = REPLY.matcher(line);
      if (r.find()) {
        out.add(new Claim(micros(r), r.group(4), r.group(5), false));
        continue;
      }
      Matcher g = GRATUITOUS_REQUEST.matcher(line);
      if (g.find() && g.group(4).equals(g.group(5))) {
        out.add(new Claim(micros(g), g.group(4), g.group(3), true));
      }
    }
    out.sort((a, b) -> Long.compare(a.micros(), b.micros()));
    return new ArpCapture(out);
  }

  private static long micros(Matcher m) {
    return Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
  }

  public List<Claim> claims() {
    return claims;
  }

  /** The first claim of {@code ip} by {@code mac} at or after {@code fromMicros}. */
  public Optional<Claim> firstClaimBy(String ip, String mac, long fromMicros) {
    return claims.stream()
        .filter(c -> c.ip().equals(ip) && c.mac().equals(mac) && c.micros() >= fromMicros)
        .findFirst();
  }

  /**
   * A placement the operator wrote: from {@code micros} on, {@code ip} belongs to {@code mac} (the
   * MAC of the node it was moved to).
   */
  public record Move(String ip, long micros, String mac) {}

  /**
   * Every claim that broke a move: once the new owner has claimed the IP, and until the IP's next
   * move, any claim by another MAC is a dual answer, reported from the new owner's first claim to
   * the offending one.
   *
   * <p>Move times come from a watch of the observer, which may see the operator's write later than
   * the speakers do: a claim by the <em>next</em> owner up to {@code watchLagMicros} before the
   * next move was seen belongs to that move, not to a dual answer.
   */
  public List<DualAnswer> dualAnswers(List<Move> moves, long watchLagMicros) {
    List<DualAnswer> out = new ArrayList<>();
    List<Move> sorted = new ArrayList<>(moves);
    sorted.sort((a, b) -> Long.compare(a.micros(), b.micros()));
    for (int i = 0; i < sorted.size(); i++) {
      Move m = sorted.get(i);
      Move next = null;
      for (int j = i + 1; j < sorted.size(); j++) {
        if (sorted.get(j).ip().equals(m.ip())) {
          next = sorted.get(j);
          break;
        }
      }
      long until = next == null ? Long.MAX_VALUE : next.micros();
      Optional<Claim> first = firstClaimBy(m.ip(), m.mac(), m.micros() - watchLagMicros);
      if (first.isEmpty() || first.get().micros() >= until) {
        continue;
      }
      for (Claim c : claims) {
        boolean nextOwnerEarly =
            next != null && c.mac().equals(next.mac()) && c.micros() >= until - watchLagMicros;
        if (c.ip().equals(m.ip())
            && !c.mac().equals(m.mac())
            && c.micros() > first.get().micros()
            && c.micros() < until
            && !nextOwnerEarly) {
          out.add(new DualAnswer(m.ip(), c.mac(), m.mac(), first.get().micros(), c.micros()));
        }
      }
    }
    return out;
  }
}
