package io.tributary.analyze.events;

import java.util.List;

/**
 * Time-windowed metrics of event data.
 *
 * @param typeColumn the column holding the event type
 * @param windows window sizes: {@code hour}, {@code day}, {@code week}
 * @param funnel ordered event types of the conversion funnel, e.g. [view, cart, purchase]
 * @param sessionKey the column sessions are built per (e.g. user_id)
 * @param sessionGapMinutes inactivity that ends a session
 */
public record EventMetricsSpec(String typeColumn, List<String> windows, List<String> funnel, String sessionKey,
    Integer sessionGapMinutes) {}
