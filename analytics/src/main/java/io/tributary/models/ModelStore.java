package io.tributary.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tributary.config.ConfigException;
import io.tributary.layout.LakeLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * Saved models under the lake: {@code models/JOB/MODEL/vN/} holds the fitted pipeline ({@code model/}, MLlib's
 * format) and {@code metadata.json} (training window, input Delta versions, parameters, seed, metrics, code
 * version, run id). Versions are written by the analyze runner only: staged, then renamed into place when the run
 * commits, so a version that exists is complete and a failed run leaves none.
 */
public final class ModelStore {
  public static final String MODEL_DIR = "model";
  public static final String METADATA = "metadata.json";
  private static final Pattern VERSION = Pattern.compile("v(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelStore() {}

  /** {@code ROOT/models}: the lake layout has no models area of its own yet. */
  public static String root(LakeLayout layout) {
    return layout.root() + "/models";
  }

  public static String dir(LakeLayout layout, String job, String model) {
    return root(layout) + "/" + job + "/" + model;
  }

  /** Every saved version, by job, model and version. */
  public static List<ModelVersion> list(SparkSession spark, LakeLayout layout) {
    List<ModelVersion> out = new ArrayList<>();
    for (FileStatus job : children(spark, new Path(root(layout)))) {
      for (FileStatus model : children(spark, job.getPath())) {
        out.addAll(versions(spark, layout, job.getPath().getName(), model.getPath().getName()));
      }
    }
    out.sort(Comparator.comparing(ModelVersion::job).thenComparing(ModelVersion::model)
        .thenComparingInt(ModelVersion::version));
    return out;
  }

  /** The versions of one model, oldest first. */
  public static List<ModelVersion> versions(SparkSession spark, LakeLayout layout, String job, String model) {
    List<ModelVersion> out = new ArrayList<>();
    for (FileStatus v : children(spark, new Path(dir(layout, job, model)))) {
      Matcher m = VERSION.matcher(v.getPath().getName());
      if (m.matches()) {
        String path = v.getPath().toString();
        out.add(new ModelVersion(job, model, Integer.parseInt(m.group(1)), path,
            readMetadata(spark, path + "/" + METADATA)));
      }
    }
    out.sort(Comparator.comparingInt(ModelVersion::version));
    return out;
  }

  /** The given version, or the latest when {@code version} is null. */
  public static ModelVersion find(SparkSession spark, LakeLayout layout, String job, String model, Integer version) {
    List<ModelVersion> all = versions(spark, layout, job, model);
    Optional<ModelVersion> found = version == null ? all.stream().reduce((a, b) -> b)
        : all.stream().filter(v -> v.version() == version).findFirst();
    return found.orElseThrow(() -> new ConfigException("job " + job + ": no saved model " + model
        + (version == null ? "" : " version " + version) + " under " + dir(layout, job, model)
        + "; versions: " + all.stream().map(ModelVersion::version).toList()));
  }

  /** Loads the fitted pipeline of a version (the latest when {@code version} is null). */
  public static PipelineModel load(SparkSession spark, LakeLayout layout, String job, String model, Integer version) {
    return PipelineModel.load(find(spark, layout, job, model, version).modelPath());
  }

  /** The version the next save of the model gets. */
  public static int nextVersion(SparkSession spark, LakeLayout layout, String job, String model) {
    return versions(spark, layout, job, model).stream().mapToInt(ModelVersion::version).max().orElse(0) + 1;
  }

  public static void writeMetadata(SparkSession spark, String file, Map<String, Object> metadata) {
    Path p = new Path(file);
    try (OutputStream out = fs(spark, p).create(p, true)) {
      JSON.writeValue(out, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static Map<String, Object> readMetadata(SparkSession spark, String file) {
    Path p = new Path(file);
    try (InputStream in = fs(spark, p).open(p)) {
      return JSON.readValue(in, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model metadata " + file, e);
    }
  }

  private static List<FileStatus> children(SparkSession spark, Path dir) {
    try {
      FileSystem fs = fs(spark, dir);
      if (!fs.exists(dir)) {
        return List.of();
      }
      List<FileStatus> out = new ArrayList<>();
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isDirectory() && !s.getPath().getName().startsWith("_") && !s.getPath().getName().startsWith(".")) {
          out.add(s);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static FileSystem fs(SparkSession spark, Path p) throws IOException {
    return p.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
