package io.tributary.bench;

import io.tributary.analyze.JobConfig;
import io.tributary.analyze.JobLoader;
import io.tributary.analyze.correlation.CorrelationSpec;
import io.tributary.analyze.profile.ProfileSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The reference engine: DuckDB computing the statistics of the bench job's profile and correlation sections over
 * the same Parquet files (silver's current snapshot), with 2 threads like Spark's local[2]:
 * per window (each configured window and the whole range) x slice (overall and each dimension's values):
 * count, nulls, approximate distinct count, mean, sample variance and stddev, min, max, sum, approximate
 * quantiles, skewness and kurtosis of numeric columns; count, nulls, approximate distinct count and the top-k
 * values of string columns; covariance, Pearson and Spearman (Pearson of ranks) over the correlation columns.
 * Results are materialized in temporary tables so every aggregate is really computed.
 */
final class DuckDbProfile {
  private DuckDbProfile() {}

  static Map<String, Object> run(Path fileList, Path jobFile) throws Exception {
    JobConfig job = JobLoader.load(jobFile);
    ProfileSpec profile = job.section(ProfileSpec.class);
    List<String> files = Files.readAllLines(fileList).stream().filter(l -> !l.isBlank()).toList();
    String list = files.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", ", "[", "]"));
    String time = job.timeColumn();
    long started = System.nanoTime();
    long resultRows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
         Statement st = c.createStatement()) {
      st.execute("SET threads = 2");
      st.execute("CREATE VIEW silver AS SELECT * FROM read_parquet(" + list + ")");
      Map<String, String> types = new HashMap<>();
      try (ResultSet rs = st.executeQuery("DESCRIBE silver")) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
      List<String> numeric = new ArrayList<>();
      List<String> strings = new ArrayList<>();
      for (String col : profile.columns()) {
        String t = types.get(col);
        (t.startsWith("VARCHAR") || t.equals("BOOLEAN") ? strings : numeric).add(col);
      }
      String quantiles = profile.quantiles().stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
      List<String> windows = new ArrayList<>(profile.windows());
      windows.add("all");
      int i = 0;
      for (String w : windows) {
        String bucket = w.equals("all") ? "TIMESTAMP '1970-01-01'" : "date_trunc('" + w + "', " + q(time) + ")";
        String sets = "(w)" + profile.dimensions().stream().map(d -> ", (w, " + q(d) + ")").collect(Collectors.joining());
        StringBuilder agg = new StringBuilder();
        for (String n : numeric) {
          String x = q(n);
          agg.append(String.format(", count(%1$s), count(*) - count(%1$s), approx_count_distinct(%1$s), avg(%1$s),"
              + " var_samp(%1$s), stddev_samp(%1$s), min(%1$s), max(%1$s), sum(%1$s), approx_quantile(%1$s, %2$s),"
              + " skewness(%1$s), kurtosis(%1$s)", x, quantiles));
        }
        for (String s : strings) {
          agg.append(String.format(", count(%1$s), count(*) - count(%1$s), approx_count_distinct(%1$s)", q(s)));
        }
        String dims = profile.dimensions().stream().map(d -> ", " + q(d)).collect(Collectors.joining());
        resultRows += create(st, "profile_" + i, "SELECT " + bucket + " AS w" + dims + agg
            + " FROM silver GROUP BY GROUPING SETS (" + sets + ")");
        for (String s : strings) {
          // Top-k per window and slice: value counts per grouping set, then the k largest per group.
          String counted = "SELECT " + bucket + " AS w" + dims + ", " + q(s) + " AS v, count(*) AS n,"
              + " GROUPING(w" + dims + ") AS g FROM silver GROUP BY GROUPING SETS ("
              + sets.replace(")", ", " + q(s) + ")") + ")";
          resultRows += create(st, "top_" + i + "_" + s, "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY g, w"
              + dims + " ORDER BY n DESC, v) AS r FROM (" + counted + ")) WHERE r <= " + profile.topK());
        }
        i++;
      }
      CorrelationSpec corr = job.section(CorrelationSpec.class);
      if (corr != null) {
        List<String> cols = corr.columns();
        String notNull = cols.stream().map(x -> q(x) + " IS NOT NULL").collect(Collectors.joining(" AND "));
        String ranks = cols.stream().map(x -> "rank() OVER (ORDER BY " + q(x) + ") AS " + q("r_" + x))
            .collect(Collectors.joining(", "));
        StringBuilder pairs = new StringBuilder("count(*)");
        for (int a = 0; a < cols.size(); a++) {
          for (int b = a; b < cols.size(); b++) {
            String x = q(cols.get(a));
            String y = q(cols.get(b));
            pairs.append(String.format(", covar_samp(%1$s, %2$s), corr(%1$s, %2$s), corr(%3$s, %4$s)", x, y,
                q("r_" + cols.get(a)), q("r_" + cols.get(b))));
          }
        }
        String selected = cols.stream().map(DuckDbProfile::q).collect(Collectors.joining(", "));
        resultRows += create(st, "correlations", "SELECT " + pairs + " FROM (SELECT " + selected + ", " + ranks
            + " FROM silver WHERE " + notNull + ")");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seconds", (System.nanoTime() - started) / 1e9);
    out.put("parquet_files", files.size());
    out.put("result_rows", resultRows);
    return out;
  }

  private static long create(Statement st, String table, String select) throws Exception {
    st.execute("CREATE TEMP TABLE " + table + " AS " + select);
    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String q(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
