package io.tributary.generate;

/** A synthetic dataset: every call to {@link #generate()} starts a fresh, identical run for the spec. */
public interface EventGenerator {

  /** Dataset name recorded in the ground truth, e.g. "clickstream". */
  String dataset();

  GeneratorSpec spec();

  Generation generate();
}
