package io.tributary.cli;

/**
 * What {@code tributary} exits with, so a scheduler can tell outcomes apart (README, "Scheduling"). 99 is
 * Airflow's BashOperator default for "skip this task"; 75 is EX_TEMPFAIL ("try again later") of sysexits.h.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int FAILED = 1;
  /** An invalid command line or configuration (picocli's own code for usage errors). */
  static final int USAGE = 2;
  /** Another run of the same job holds its lease. */
  static final int LOCKED = 75;
  /** Nothing to analyse: the input unchanged, no events on the day, or every day of a backfill committed. */
  static final int NOTHING_TO_DO = 99;

  private ExitCodes() {}
}
