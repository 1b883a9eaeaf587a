package io.tributary.analyze;

import static org.apache.spark.sql.functions.col;

import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's input table outside the run's range ({@link AnalysisContext#input()} holds only
 * {@code [from, to)}), for analyses that compare with earlier data: a baseline window before {@code from}, a
 * pinned reference period, or a metric's whole history. It is read at the same Delta version as the input
 * ({@code versionAsOf} from {@link io.tributary.gold.RunInfo#inputVersions()}, the version
 * {@link InputSnapshot} pinned), so a run sees one consistent snapshot and can be reproduced.
 */
public final class InputHistory {
  private static final Logger LOG = LoggerFactory.getLogger(InputHistory.class);

  private InputHistory() {}

  /**
   * @param from inclusive lower bound on the job's time column, or null for none
   * @param to exclusive upper bound, or null for none
   */
  public static Dataset<Row> read(AnalysisContext ctx, Instant from, Instant to) {
    String table = InputSnapshot.trimSlashes(ctx.job().input());
    String path = ctx.layout().root() + "/" + table;
    Long version = ctx.run() == null ? null : ctx.run().inputVersions().get(table);
    DataFrameReader reader = ctx.spark().read().format("delta");
    if (version != null) {
      reader = reader.option("versionAsOf", version);
    } else {
      LOG.warn("No pinned version of {} in the run info; reading its latest version", table);
    }
    LOG.info("Reading {} at version {} for [{}, {})", table, version == null ? "latest" : version, from, to);
    Dataset<Row> rows = reader.load(path);
    Column t = col(ctx.job().timeColumn());
    if (from != null) {
      rows = rows.where(t.geq(TimeGrain.timestamp(from)));
    }
    if (to != null) {
      rows = rows.where(t.lt(TimeGrain.timestamp(to)));
    }
    return rows;
  }
}
