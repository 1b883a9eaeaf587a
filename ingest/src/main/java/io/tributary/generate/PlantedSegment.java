package io.tributary.generate;

import java.util.List;

/**
 * A planted user segment: every user belongs to one, and it drives how they shop, so segmentation and propensity
 * models can be scored against known structure.
 *
 * <ul>
 *   <li>{@code device}: the usual device of its users (85% of their sessions, as before segments existed);
 *   <li>{@code categories}: {@value #AFFINITY} of their views are of products of these categories, the rest of any;
 *   <li>{@code checkoutRate}: the chance that a session with a cart ends in a purchase (the purchase propensity);
 *   <li>{@code activity}: multiplies the user's heavy-tailed activity weight (how often they come back).
 * </ul>
 *
 * @param name identifier written to the ground truth
 * @param weight share of users (relative)
 */
public record PlantedSegment(String name, double weight, String device, List<String> categories,
                             double checkoutRate, double activity) {

  /** Share of a segment's views that are of its own categories. */
  public static final double AFFINITY = 0.85;

  /**
   * The segments of the clickstream generator. Their device shares keep the overall mix near 55/35/10 and their
   * checkout rates keep purchases near 10% of events (the funnel the generator documents).
   */
  public static final List<PlantedSegment> ALL = List.of(
      new PlantedSegment("bargain_mobile", 30, "mobile", List.of("grocery", "books"), 0.45, 1.5),
      new PlantedSegment("trend_browser", 25, "mobile", List.of("fashion", "beauty"), 0.2, 1.2),
      new PlantedSegment("tech_desktop", 35, "desktop", List.of("electronics", "sports"), 0.75, 0.7),
      new PlantedSegment("family_tablet", 10, "tablet", List.of("home", "toys"), 0.6, 1.0));

  static int deviceIndex(PlantedSegment segment) {
    return List.of(UserPool.DEVICES).indexOf(segment.device());
  }
}
