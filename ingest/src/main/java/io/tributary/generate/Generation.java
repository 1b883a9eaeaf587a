package io.tributary.generate;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One lazy run of a generator: records in arrival order, then the ground truth of what was injected.
 * Memory stays bounded (a few hours of events), so millions of records can be streamed to a sink.
 *
 * <p>Single use, like an iterator. {@link #groundTruth()} is complete only once every record was consumed.
 */
public final class Generation implements Iterator<GeneratedRecord> {

  private final Iterator<GeneratedRecord> records;
  private final Supplier<GroundTruth> truth;
  private GroundTruth built;

  Generation(Iterator<GeneratedRecord> records, Supplier<GroundTruth> truth) {
    this.records = records;
    this.truth = truth;
  }

  @Override
  public boolean hasNext() {
    return records.hasNext();
  }

  @Override
  public GeneratedRecord next() {
    if (!records.hasNext()) {
      throw new NoSuchElementException();
    }
    return records.next();
  }

  /** A view of the remaining records that calls {@code observer} on each (e.g. progress reporting). */
  public Generation observe(Consumer<GeneratedRecord> observer) {
    Iterator<GeneratedRecord> observed = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public GeneratedRecord next() {
        GeneratedRecord record = records.next();
        observer.accept(record);
        return record;
      }
    };
    return new Generation(observed, this::groundTruth);
  }

  /** The remaining records as a sequential stream. */
  public Stream<GeneratedRecord> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false);
  }

  /** Consumes the remaining records and returns the ground truth, e.g. to count lines before writing. */
  public GroundTruth drain() {
    while (records.hasNext()) {
      records.next();
    }
    return groundTruth();
  }

  /** What was injected. */
  public GroundTruth groundTruth() {
    if (records.hasNext()) {
      throw new IllegalStateException("The ground truth is complete only after every record was consumed");
    }
    if (built == null) {
      built = truth.get();
    }
    return built;
  }
}
