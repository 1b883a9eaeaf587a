package io.tributary.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
  private final List<PlantedUser> users;
  private GroundTruth built;

  Generation(Iterator<GeneratedRecord> records, Supplier<GroundTruth> truth) {
    this(records, truth, List.of());
  }

  Generation(Iterator<GeneratedRecord> records, Supplier<GroundTruth> truth, List<PlantedUser> users) {
    this.records = records;
    this.truth = truth;
    this.users = List.copyOf(users);
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
    return new Generation(observed, this::groundTruth, users);
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

  /** The planted users (segment, purchase propensity) of a clickstream; empty for other datasets. */
  public List<PlantedUser> users() {
    return users;
  }

  /**
   * Writes {@link #users()} as CSV beside the ground-truth JSON ({@code NAME-users.csv} for {@code NAME.json}),
   * through a temp file and a rename; does nothing when there are none.
   *
   * @return the file written, or null
   */
  Path writeUsers(Path groundTruthFile) throws IOException {
    if (users.isEmpty()) {
      return null;
    }
    Path absolute = groundTruthFile.toAbsolutePath();
    Path target = absolute.resolveSibling(absolute.getFileName().toString().replaceFirst("\\.json$", "") + "-users.csv");
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    List<String> lines = new ArrayList<>(users.size() + 1);
    lines.add(PlantedUser.CSV_HEADER);
    users.forEach(u -> lines.add(u.csv()));
    Files.write(temp, lines, StandardCharsets.UTF_8);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
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
