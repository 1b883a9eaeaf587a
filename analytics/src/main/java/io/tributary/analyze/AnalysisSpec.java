package io.tributary.analyze;

import java.util.List;

/**
 * The typed settings of one section of a job file (e.g. {@code profile:}), bound from YAML by
 * {@link JobLoader} to the record {@link AnalysisRegistry} registers for the section's name. A spec validates
 * itself when bound and creates the analysis that runs it.
 */
public interface AnalysisSpec {
  /** The analysis that runs this section. */
  Analysis create();

  /**
   * Checks this section against the rest of the job (e.g. that the features it uses are defined in another
   * section); called once the job is bound. Errors name the job and the key ({@link JobConfig#invalid}).
   */
  default void validate(JobConfig job) {}

  /**
   * The windows this section reports (besides {@link TimeGrain#ALL}); a run's range starts on a boundary of the
   * largest of them, see {@link Analyses#alignment}.
   */
  default List<TimeGrain> grains() {
    return List.of();
  }
}
