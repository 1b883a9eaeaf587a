package io.tributary.analyze;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tributary.analyze.anomaly.AnomalySpec;
import io.tributary.analyze.correlation.CorrelationSpec;
import io.tributary.analyze.drift.DriftSpec;
import io.tributary.analyze.events.EventMetricsSpec;
import io.tributary.analyze.profile.ProfileSpec;
import io.tributary.config.ConfigException;
import java.nio.file.Path;

/**
 * One analysis job, declared in a YAML file under {@code conf/jobs/} and run by
 * {@code tributary analyze --job NAME}. Every section is optional; a job runs the sections it declares.
 *
 * @param name identifier, recorded with every result row
 * @param input the table analysed, relative to the lake root, e.g. {@code silver/clickstream}
 * @param timeColumn the TIMESTAMP column windows and incremental runs are based on
 * @param profile column profiles (overall, per slice, per time window)
 * @param correlation covariance and correlation matrices
 * @param events event rates, conversion funnel and session statistics
 * @param drift distribution drift between a window and a baseline
 * @param anomaly anomaly detection on metric history
 * @param file the file the job was read from (set by the loader)
 */
public record JobConfig(
    String name,
    String input,
    String timeColumn,
    ProfileSpec profile,
    CorrelationSpec correlation,
    EventMetricsSpec events,
    DriftSpec drift,
    AnomalySpec anomaly,
    @JsonIgnore Path file) {

  public JobConfig {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new ConfigException("job 'name' must be lower-case letters, digits and _, not '" + name + "'");
    }
    if (input == null || input.isBlank()) {
      throw new ConfigException("job " + name + " needs 'input', a table under the lake such as silver/clickstream");
    }
    if (timeColumn == null || timeColumn.isBlank()) {
      throw new ConfigException("job " + name + " needs 'timeColumn', the TIMESTAMP column of the input");
    }
  }

  public JobConfig withFile(Path f) {
    return new JobConfig(name, input, timeColumn, profile, correlation, events, drift, anomaly, f);
  }
}
