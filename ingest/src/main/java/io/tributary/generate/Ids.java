package io.tributary.generate;

/**
 * Deterministic identifiers: a 64-bit bijective mix of (seed, counter), printed as 16 hex digits.
 *
 * <p>Because the mix is a bijection, distinct counters give distinct ids for one seed, with no set to remember.
 * Valid events and bad lines draw from disjoint counter ranges so they can never collide.
 */
final class Ids {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long BAD_LINE_OFFSET = 1L << 62;
  private static final long SESSION_SALT = 0x5E55_10D5_5E55_10D5L;

  private final String eventPrefix;
  private final long eventBase;
  private final long sessionBase;

  Ids(long seed, String eventPrefix) {
    this.eventPrefix = eventPrefix;
    this.eventBase = mix64(seed * GOLDEN_GAMMA + eventPrefix.hashCode()); // datasets get distinct ids
    this.sessionBase = mix64(seed ^ SESSION_SALT);
  }

  /** Id of the n-th valid event. */
  String event(long n) {
    return eventPrefix + hex16(mix64(eventBase + n));
  }

  /** Id of the n-th bad line. */
  String badLine(long n) {
    return eventPrefix + hex16(mix64(eventBase + BAD_LINE_OFFSET + n));
  }

  String session(long n) {
    return "s-" + hex16(mix64(sessionBase + n));
  }

  /** SplitMix64 finalizer: a bijection on 64-bit values with good avalanche. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static String hex16(long value) {
    String hex = Long.toHexString(value);
    return "0".repeat(16 - hex.length()) + hex;
  }
}
