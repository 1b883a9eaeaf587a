package io.tributary.analyze.drift;

import java.util.List;

/**
 * Drift of column distributions between each window and a baseline.
 *
 * @param columns numeric columns get KS, PSI and Jensen-Shannon; categorical ones chi-square, PSI and JS
 * @param window the compared window size: {@code hour}, {@code day} or {@code week}
 * @param baseline {@code previous} (the window before) or {@code reference} (the pinned period below)
 * @param referenceFrom inclusive start of the pinned reference period (ISO date or timestamp)
 * @param referenceTo exclusive end of the pinned reference period
 * @param bins histogram bins for numeric columns
 */
public record DriftSpec(List<String> columns, String window, String baseline, String referenceFrom,
    String referenceTo, Integer bins) {}
