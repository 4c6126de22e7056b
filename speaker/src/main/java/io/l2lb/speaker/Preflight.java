package io.l2lb.speaker;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.l2lb.speaker.wire.PcapPacketPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks that make the common deployment mistakes fail at once with a message that says what to
 * change, instead of an exception deep inside libpcap later.
 */
public final class Preflight {

  /** Bit of CAP_NET_RAW in the capability sets (linux/capability.h). */
  static final int CAP_NET_RAW = 13;

  private Preflight() {}

  /**
   * Raw packet sockets need CAP_NET_RAW in the effective set. Root normally has it, but a container
   * that drops ALL capabilities is root without it, so the capability decides, not the uid. The uid
   * only goes into the message.
   */
  public static void requireNetRaw(Path procStatus) {
    requireNetRaw(procStatus, effectiveUid(procStatus));
  }

  static void requireNetRaw(Path procStatus, long euid) {
    Optional<String> capEff = statusField(procStatus, "CapEff");
    if (capEff.isEmpty()) {
      if (euid == 0) {
        return; // no /proc (not Linux?): root is the best we can check
      }
      throw new StartupCheckFailed(
          ExitCode.NO_NET_RAW,
          "not root (euid "
              + euid
              + ") and the capabilities cannot "
              + "be read from "
              + procStatus
              + ": run as root or with CAP_NET_RAW");
    }
    if (hasCapability(capEff.get(), CAP_NET_RAW)) {
      return;
    }
    throw new StartupCheckFailed(
        ExitCode.NO_NET_RAW,
        (euid == 0
                ? "running as root but without CAP_NET_RAW"
                : "not root (euid " + euid + ") and no CAP_NET_RAW")
            + " (CapEff "
            + capEff.get()
            + "): answering ARP/NDP "
            + "needs raw packet sockets. In Kubernetes: securityContext.capabilities.add: [NET_RAW] with runAsUser: 0 "
            + "(a non-root user does not get added capabilities in its effective set); on a host: run as root or "
            + "grant CAP_NET_RAW (e.g. systemd AmbientCapabilities=CAP_NET_RAW).");
  }

  static boolean hasCapability(String capHex, int bit) {
    try {
      return (Long.parseUnsignedLong(capHex.trim(), 16) >>> bit & 1) == 1;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The one libc call the check needs. */
  interface LibC extends Library {
    int geteuid();
  }

  /**
   * geteuid() through JNA, which pcap4j loads anyway. (jnr-posix, the first choice, does the same
   * with about 1000 more classes: jnr-ffi, ASM and a generated LibC stub, ~4.5 MiB of resident
   * memory for one system call.) Falls back to /proc when no native call is possible.
   */
  static long effectiveUid(Path procStatus) {
    try {
      return Integer.toUnsignedLong(Native.load("c", LibC.class).geteuid());
    } catch (RuntimeException | LinkageError e) {
      return statusField(procStatus, "Uid")
          .map(v -> Long.parseLong(v.trim().split("\\s+")[1]))
          .orElse(-1L);
    }
  }

  static Optional<String> statusField(Path procStatus, String field) {
    try {
      return Files.readAllLines(procStatus).stream()
          .filter(l -> l.startsWith(field + ":"))
          .map(l -> l.substring(field.length() + 1).trim())
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Loads libpcap now and returns its version string, or fails with what to install. */
  public static String requireLibpcap() {
    try {
      return PcapPacketPort.libpcapVersion();
    } catch (IOException e) {
      throw new StartupCheckFailed(
          ExitCode.NO_LIBPCAP,
          "libpcap cannot be loaded ("
              + e.getMessage()
              + "): install "
              + "it, Debian/Ubuntu: apt-get install libpcap0.8, RHEL/Fedora: dnf install libpcap",
          e);
    }
  }
}
