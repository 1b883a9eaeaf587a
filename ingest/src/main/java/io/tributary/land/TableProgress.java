package io.tributary.land;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.tributary.source.RawColumns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;

/**
 * What one table already holds from the source: the batch of its newest commit, so a batch Spark replays
 * from the same checkpoint is not landed or counted twice, and the source positions it holds, so a batch re-read
 * after a lost checkpoint lands in the table only what is missing. For Kafka: the next offset per partition (from the table's last commit
 * marker). For files: the files already landed (read from the table only when the checkpoint is new;
 * otherwise Spark's own file log guarantees no file is read twice).
 */
public final class TableProgress {
  private final Map<String, Long> kafka;
  private final Set<String> files;
  private CommitMarker last;

  /**
   * @param last the table's newest Tributary commit, if any
   * @param files files the table holds, when the checkpoint is new (empty otherwise)
   */
  public TableProgress(java.util.Optional<CommitMarker> last, Set<String> files) {
    this.last = last.orElse(null);
    this.kafka = new HashMap<>(last.map(CommitMarker::kafka).orElse(Map.of()));
    this.files = Set.copyOf(files);
  }

  public static TableProgress empty() {
    return new TableProgress(java.util.Optional.empty(), Set.of());
  }

  /** True when the table already committed this batch of this checkpoint (Spark is replaying it). */
  public boolean holdsBatch(String checkpointId, long batchId) {
    return last != null && last.checkpointId().equals(checkpointId) && last.batchId() >= batchId;
  }

  /** Records the table's new newest commit. */
  public void committed(CommitMarker marker) {
    last = marker;
  }

  /** True for rows the table does not hold yet. */
  public Column notYetLanded() {
    Column keep = lit(true);
    if (!kafka.isEmpty()) {
      List<Column> entries = new ArrayList<>();
      kafka.forEach((tp, off) -> {
        entries.add(lit(tp));
        entries.add(lit(off));
      });
      Column positions = org.apache.spark.sql.functions.map(entries.toArray(Column[]::new));
      Column key = concat(col(RawColumns.SOURCE), lit(":"), col(RawColumns.PARTITION).cast("string"));
      keep = keep.and(col(RawColumns.OFFSET).geq(coalesce(element_at(positions, key), lit(-1L))));
    }
    if (!files.isEmpty()) {
      keep = keep.and(not(col(RawColumns.SOURCE).isin(files.toArray())));
    }
    return keep;
  }

  /** Kafka positions after a batch that covered up to {@code batchEnd} (next offsets). */
  public Map<String, Long> advance(Map<String, Long> batchEnd) {
    batchEnd.forEach((tp, off) -> kafka.merge(tp, off, Math::max));
    return Map.copyOf(kafka);
  }

  public Map<String, Long> kafka() {
    return Map.copyOf(kafka);
  }
}
