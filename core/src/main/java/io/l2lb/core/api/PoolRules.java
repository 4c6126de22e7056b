package io.l2lb.core.api;

/**
 * CEL rules (x-kubernetes-validations) for {@code spec.addressPool}. They use the Kubernetes
 * IP/CIDR CEL library (isIP, ip, isCIDR, cidr; Kubernetes 1.31+), so the API server itself rejects
 * a bad pool before the operator ever sees it. The operator and {@code kubectl l2lb validate} run
 * the same checks in Java (see core.pool) for clusters whose CRD was installed without these rules.
 *
 * <p>CEL has no ordering on IP addresses, so "start above end" is found bit by bit: the first bit i
 * where the two addresses differ is the one where start's /i network still holds end but its /(i+1)
 * network does not; start is above end when that bit of start is 1, i.e. start's /i-masked address
 * falls outside start's /(i+1) network.
 */
final class PoolRules {
  private PoolRules() {}

  /**
   * maxItems of spec.addressPool. The rules' runtime cost grows with the entries' length (string
   * splits and CIDR parses per bit in START_ABOVE_END); on Kubernetes 1.34 the longest valid entry
   * (a 91-character IPv6 range written in full with an IPv4 tail) exceeds the per-object budget
   * above 47 entries, so 40 leaves a margin; CrdValidationIT checks the worst case of every entry
   * form at exactly this many entries on the real API server.
   */
  static final int MAX_ENTRIES = 40;

  // Whitespace is rejected by its own rule, so the others never trim (trim() on every use was a
  // large part of the cost). Whole-string CIDR equality, not string(cidr): the cost estimator
  // cannot bound string().
  static final String HAS_WHITESPACE = "e.matches('\\\\s')";
  static final String START = "e.split('-')[0]";
  static final String END = "e.split('-')[1]";
  static final String IS_RANGE =
      "(e.split('-').size() == 2 && isIP(" + START + ") && isIP(" + END + "))";
  static final String IS_CIDR = "(isCIDR(e) && cidr(e).masked() == cidr(e))";
  static final String IS_ADDRESS = "isIP(e)";
  static final String WELL_FORMED = "(" + IS_ADDRESS + " || " + IS_CIDR + " || " + IS_RANGE + ")";
  static final String SAME_FAMILY = "ip(" + START + ").family() == ip(" + END + ").family()";
  // Literal lists, because the API server cannot bound the size of string(i) (nor of string(cidr)).
  static final String PREFIXES =
      "['/0', '/1', '/2', '/3', '/4', '/5', '/6', '/7', '/8', '/9', '/10', '/11', '/12', '/13', '/14', '/15', '/16', '/17', '/18', '/19', '/20', '/21', '/22', '/23', '/24', '/25', '/26', '/27', '/28', '/29', '/30', '/31', '/32', '/33', '/34', '/35', '/36', '/37', '/38', '/39', '/40', '/41', '/42', '/43', '/44', '/45', '/46', '/47', '/48', '/49', '/50', '/51', '/52', '/53', '/54', '/55', '/56', '/57', '/58', '/59', '/60', '/61', '/62', '/63', '/64', '/65', '/66', '/67', '/68', '/69', '/70', '/71', '/72', '/73', '/74', '/75', '/76', '/77', '/78', '/79', '/80', '/81', '/82', '/83', '/84', '/85', '/86', '/87', '/88', '/89', '/90', '/91', '/92', '/93', '/94', '/95', '/96', '/97', '/98', '/99', '/100', '/101', '/102', '/103', '/104', '/105', '/106', '/107', '/108', '/109', '/110', '/111', '/112', '/113', '/114', '/115', '/116', '/117', '/118', '/119', '/120', '/121', '/122', '/123', '/124', '/125', '/126', '/127', '/128']";
  static final String PREFIXES_PLUS_ONE =
      "['/1', '/2', '/3', '/4', '/5', '/6', '/7', '/8', '/9', '/10', '/11', '/12', '/13', '/14', '/15', '/16', '/17', '/18', '/19', '/20', '/21', '/22', '/23', '/24', '/25', '/26', '/27', '/28', '/29', '/30', '/31', '/32', '/33', '/34', '/35', '/36', '/37', '/38', '/39', '/40', '/41', '/42', '/43', '/44', '/45', '/46', '/47', '/48', '/49', '/50', '/51', '/52', '/53', '/54', '/55', '/56', '/57', '/58', '/59', '/60', '/61', '/62', '/63', '/64', '/65', '/66', '/67', '/68', '/69', '/70', '/71', '/72', '/73', '/74', '/75', '/76', '/77', '/78', '/79', '/80', '/81', '/82', '/83', '/84', '/85', '/86', '/87', '/88', '/89', '/90', '/91', '/92', '/93', '/94', '/95', '/96', '/97', '/98', '/99', '/100', '/101', '/102', '/103', '/104', '/105', '/106', '/107', '/108', '/109', '/110', '/111', '/112', '/113', '/114', '/115', '/116', '/117', '/118', '/119', '/120', '/121', '/122', '/123', '/124', '/125', '/126', '/127', '/128']";

  /**
   * Start above end, for a well-formed same-family range: the first bit i where the two differ is
   * where start's /i network still holds end and its /(i+1) network does not; start is above end
   * when that bit of start is 1, i.e. start's /i-masked address falls outside start's /(i+1)
   * network. A linear scan over the bits (CEL in CRD validation has no cel.bind, so no binary
   * search): its cost is why maxItems is what it is (see MetalLoadBalancerClassSpec).
   */
  static final String START_ABOVE_END =
      "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127].exists(i, i < (ip("
          + START
          + ").family() == 4 ? 32 : 128)"
          + " && cidr("
          + START
          + " + "
          + PREFIXES
          + "[i]).containsIP("
          + END
          + ")"
          + " && !cidr("
          + START
          + " + "
          + PREFIXES_PLUS_ONE
          + "[i]).containsIP("
          + END
          + ")"
          + " && !cidr("
          + START
          + " + "
          + PREFIXES_PLUS_ONE
          + "[i]).containsIP(cidr("
          + START
          + " + "
          + PREFIXES
          + "[i]).masked().ip()))";

  static final String NOT_EMPTY = "size(self) > 0";
  static final String NOT_EMPTY_MESSAGE =
      "addressPool is empty: list at least one CIDR (192.0.2.0/28) or range (192.0.2.10-192.0.2.20)";

  static final String NO_WHITESPACE = "self.all(e, !" + HAS_WHITESPACE + ")";
  static final String NO_WHITESPACE_MESSAGE =
      // line breaks are spelled out: the API server refuses a message that contains one
      "'addressPool entry \\'' + self.filter(e, "
          + HAS_WHITESPACE
          + ")[0].replace('\\n', '\\\\n').replace('\\r', '\\\\r').replace('\\t', '\\\\t')"
          + " + '\\' contains whitespace (a space, tab or line break): remove it'";

  static final String ALL_WELL_FORMED =
      "self.all(e, " + HAS_WHITESPACE + " || " + WELL_FORMED + ")";
  static final String WELL_FORMED_MESSAGE =
      "'addressPool entry ' + self.filter(e, !"
          + HAS_WHITESPACE
          + " && !"
          + WELL_FORMED
          + ")[0] + ' is malformed:"
          + " write a CIDR with no host bits set (192.0.2.0/28, 2001:db8::/120), a range start-end"
          + " (192.0.2.10-192.0.2.20) or a single address (192.0.2.7)'";

  static final String ALL_SAME_FAMILY = "self.all(e, !" + IS_RANGE + " || " + SAME_FAMILY + ")";
  static final String SAME_FAMILY_MESSAGE =
      "'addressPool range ' + self.filter(e, "
          + IS_RANGE
          + " && !("
          + SAME_FAMILY
          + "))[0]"
          + " + ' mixes IPv4 and IPv6: both ends of a range must be of one family'";

  static final String ALL_ORDERED =
      "self.all(e, !" + IS_RANGE + " || !(" + SAME_FAMILY + ") || !" + START_ABOVE_END + ")";
  static final String ORDERED_MESSAGE =
      "'addressPool range ' + self.filter(e, "
          + IS_RANGE
          + " && "
          + SAME_FAMILY
          + " && "
          + START_ABOVE_END
          + ")[0]"
          + " + ' starts above its end: write the lower address first'";
}
