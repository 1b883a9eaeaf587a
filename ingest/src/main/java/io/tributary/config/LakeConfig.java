package io.tributary.config;

/**
 * Where the lake lives.
 *
 * @param root a local directory ({@code ./lake}) or any Hadoop URI ({@code hdfs://namenode:8020/tributary});
 *     every table, checkpoint and analysis state lives below it (see {@link io.tributary.layout.LakeLayout}).
 */
public record LakeConfig(String root) {
  public LakeConfig {
    if (root == null || root.isBlank()) {
      throw new ConfigException("lake.root must not be empty: set it to a directory such as ./lake or an hdfs:// URI");
    }
  }
}
