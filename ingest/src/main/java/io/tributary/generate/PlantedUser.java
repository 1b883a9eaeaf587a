package io.tributary.generate;

/**
 * The ground truth of one user: the planted segment and what drives their purchases.
 *
 * @param userId the {@code user_id} of their events
 * @param segment the {@link PlantedSegment#name()}
 * @param checkoutRate chance that a session with a cart ends in a purchase
 * @param activityShare the user's share of all session starts (before busy users are skipped)
 */
public record PlantedUser(String userId, String segment, double checkoutRate, double activityShare) {

  static final String CSV_HEADER = "user_id,segment,checkout_rate,activity_share";

  String csv() {
    return userId + "," + segment + "," + checkoutRate + "," + activityShare;
  }
}
