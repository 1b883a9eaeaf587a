package io.tributary.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The shopping funnel of one session: a few product views, mostly of the user's segment's categories; two sessions
 * in three put one of the viewed products in the cart, and the segment's checkout rate of those buy it (about half
 * over all segments). That gives about 70% views, 20% carts and 10% purchases.
 * Gaps inside a session are seconds to five minutes, far below the 30-minute session timeout.
 *
 * <p>At most one cart and one purchase per session keeps those counts from arriving in bursts, so an hour
 * in which purchases drop stands out against ordinary hours.
 */
final class SessionModel {

  static final String VIEW = "view";
  static final String CART = "cart";
  static final String PURCHASE = "purchase";

  /** Views per session are 1 + geometric, mean 7/3, so that views : carts : purchases = 7 : 2 : 1. */
  private static final double MEAN_EXTRA_VIEWS = 4.0 / 3.0;
  private static final double CART_RATE = 2.0 / 3.0;
  /** The mean checkout rate over segments, for the expected session length. */
  private static final double CHECKOUT_RATE = 0.5;
  private static final long MIN_GAP_MS = 2_000;
  private static final double MEAN_EXTRA_GAP_MS = 40_000;
  private static final long MAX_GAP_MS = 300_000;

  /** One clickstream event before it gets an id; {@code order} breaks event-time ties reproducibly. */
  record Click(long timeMillis, long order, String type, int user, String sessionId, int device, int product,
               int quantity) {
  }

  private final Catalogue catalogue;
  private long nextOrder;

  SessionModel(Catalogue catalogue) {
    this.catalogue = catalogue;
  }

  static double meanEventsPerSession() {
    return 1 + MEAN_EXTRA_VIEWS + CART_RATE * (1 + CHECKOUT_RATE);
  }

  /** The events of one session starting at {@code start}, in time order; a purchase comes last. */
  List<Click> simulate(long start, int user, PlantedSegment segment, String sessionId, int device,
                       SplittableRandom random) {
    List<Click> clicks = new ArrayList<>();
    int views = 1 + Randoms.geometric(random, MEAN_EXTRA_VIEWS);
    int cartAfter = random.nextDouble() < CART_RATE ? random.nextInt(views) : -1; // the view that gets carted
    Click cart = null;
    long time = start;
    for (int v = 0; v < views; v++) {
      if (v > 0) {
        time += gap(random);
      }
      int product = catalogue.sample(random, segment.categories(), PlantedSegment.AFFINITY);
      clicks.add(click(time, VIEW, user, sessionId, device, product, 1));
      if (v == cartAfter) {
        time += gap(random);
        cart = click(time, CART, user, sessionId, device, product, quantity(random));
        clicks.add(cart);
      }
    }
    if (cart != null && random.nextDouble() < segment.checkoutRate()) {
      time += gap(random);
      clicks.add(click(time, PURCHASE, user, sessionId, device, cart.product(), cart.quantity()));
    }
    return clicks;
  }

  /** One more event like {@code template} in the same session (spike traffic), for another product. */
  Click extra(Click template, long time, SplittableRandom random) {
    int quantity = VIEW.equals(template.type()) ? 1 : quantity(random);
    return click(time, template.type(), template.user(), template.sessionId(), template.device(),
        catalogue.sample(random), quantity);
  }

  private Click click(long time, String type, int user, String sessionId, int device, int product,
                      int quantity) {
    return new Click(time, nextOrder++, type, user, sessionId, device, product, quantity);
  }

  private static long gap(SplittableRandom random) {
    return Math.min(MAX_GAP_MS, MIN_GAP_MS + (long) Randoms.exponential(random, MEAN_EXTRA_GAP_MS));
  }

  private static int quantity(SplittableRandom random) {
    double u = random.nextDouble();
    return u < 0.7 ? 1 : u < 0.9 ? 2 : 3;
  }
}
