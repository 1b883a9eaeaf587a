package io.tributary.analyze.anomaly;

/**
 * Anomaly detection on metric history.
 *
 * @param window the metric grain: {@code hour} or {@code day}
 * @param threshold robust z-score above which a point is flagged
 * @param seasonal compare with the same hour of the week (true) or with the recent history (false)
 * @param minHistory points of history needed before anything is flagged
 */
public record AnomalySpec(String window, Double threshold, Boolean seasonal, Integer minHistory) {}
