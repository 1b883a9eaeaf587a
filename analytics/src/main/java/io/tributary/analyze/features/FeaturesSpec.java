package io.tributary.analyze.features;

import io.tributary.analyze.AnalysisSpec;
import io.tributary.config.ConfigException;
import java.util.List;

/**
 * Per-entity features as of a cutoff, defined once ({@link FeatureDefinitions}) for every model of the job. Every
 * key is optional; the defaults fit the clickstream.
 *
 * @param entity the column identifying the entity (default {@code user_id})
 * @param sessionColumn the session identifier (default {@code session_id})
 * @param typeColumn the event type (default {@code event_type})
 * @param purchaseType the event type of a purchase (default {@code purchase}); monetary value is
 *     {@code price * quantity} summed over purchases
 * @param priceColumn default {@code price}
 * @param quantityColumn default {@code quantity}
 * @param categoryColumn default {@code category}
 * @param categories the categories that get a {@code share_CATEGORY} feature (share of the entity's events)
 * @param deviceColumn default {@code device}
 * @param devices the devices that get a {@code device_DEVICE} feature (share of the entity's events)
 * @param countryColumn default {@code country}; the entity's most frequent value is kept (not a model input)
 */
public record FeaturesSpec(String entity, String sessionColumn, String typeColumn, String purchaseType,
    String priceColumn, String quantityColumn, String categoryColumn, List<String> categories, String deviceColumn,
    List<String> devices, String countryColumn) implements AnalysisSpec {

  public FeaturesSpec {
    entity = orDefault(entity, "user_id");
    sessionColumn = orDefault(sessionColumn, "session_id");
    typeColumn = orDefault(typeColumn, "event_type");
    purchaseType = orDefault(purchaseType, "purchase");
    priceColumn = orDefault(priceColumn, "price");
    quantityColumn = orDefault(quantityColumn, "quantity");
    categoryColumn = orDefault(categoryColumn, "category");
    deviceColumn = orDefault(deviceColumn, "device");
    countryColumn = orDefault(countryColumn, "country");
    categories = values(categories, "features.categories");
    devices = values(devices, "features.devices");
  }

  /** The defaults, with the categories and devices of the demo clickstream. */
  public static FeaturesSpec defaults() {
    return new FeaturesSpec(null, null, null, null, null, null, null,
        List.of("electronics", "fashion", "home", "beauty", "sports", "books", "toys", "grocery"), null,
        List.of("mobile", "desktop", "tablet"), null);
  }

  @Override
  public FeaturesAnalysis create() {
    return new FeaturesAnalysis(this);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static List<String> values(List<String> given, String key) {
    List<String> out = given == null ? List.of() : List.copyOf(given);
    for (String v : out) {
      if (v == null || !v.matches("[A-Za-z0-9_]+")) {
        throw new ConfigException("'" + key + "' values must be letters, digits and _ (they name features), not '"
            + v + "'");
      }
    }
    return out;
  }
}
