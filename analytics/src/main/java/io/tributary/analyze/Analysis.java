package io.tributary.analyze;

/**
 * One kind of analysis (profiles, correlation, drift, ...), created by its {@link AnalysisSpec}. It computes
 * from the context and never writes: it returns its gold rows and any state to keep, and the runner commits
 * them, with the run's metadata, for all analyses of the run at once.
 */
public interface Analysis {
  /** Short name used in progress output, e.g. {@code profile}. */
  String name();

  AnalysisResult compute(AnalysisContext context);
}
