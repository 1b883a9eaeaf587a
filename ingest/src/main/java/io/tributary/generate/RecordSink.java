package io.tributary.generate;

import java.io.IOException;

/** Where generated lines go. A sink consumes the whole generation and writes the ground truth next to it. */
public interface RecordSink {

  /**
   * Writes every remaining record, then the ground truth.
   *
   * @return the ground truth, completed with where the lines went
   */
  GroundTruth write(Generation generation) throws IOException;
}
