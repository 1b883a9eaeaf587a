package io.tributary.land;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A random id stored inside a checkpoint directory. It names the writer in Delta's idempotent writes: a
 * replay from the same checkpoint reuses it (and is skipped), a new or re-created checkpoint gets a new one.
 *
 * @param id the identity
 * @param fresh true when the checkpoint holds no progress yet (new, or deleted since the last run)
 */
public record CheckpointIdentity(String id, boolean fresh) {
  /** The file inside the checkpoint directory that holds the identity. */
  public static final String FILE = "tributary-checkpoint-id";

  public static CheckpointIdentity open(String checkpointDir, Configuration hadoopConf) {
    try {
      Path dir = new Path(checkpointDir);
      FileSystem fs = dir.getFileSystem(hadoopConf);
      Path offsets = new Path(dir, "offsets");
      boolean fresh = !fs.exists(offsets) || fs.listStatus(offsets).length == 0;
      Path idFile = new Path(dir, FILE);
      if (!fresh) {
        if (!fs.exists(idFile)) {
          // Without its identity a replayed batch could not be recognised and would land twice.
          throw new io.tributary.config.ConfigException("checkpoint " + checkpointDir + " has progress but no " + FILE
              + " file (not written by this version of Tributary?): delete the checkpoint directory; the pipeline "
              + "then resumes from what the lake's tables record");
        }
        try (FSDataInputStream in = fs.open(idFile)) {
          return new CheckpointIdentity(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim(), false);
        }
      }
      String id = UUID.randomUUID().toString();
      fs.mkdirs(dir);
      try (FSDataOutputStream out = fs.create(idFile, true)) {
        out.write(id.getBytes(StandardCharsets.UTF_8));
      }
      return new CheckpointIdentity(id, fresh);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create checkpoint directory " + checkpointDir + ": " + e.getMessage(), e);
    }
  }
}
