package io.tributary.analyze;

import io.tributary.config.ConfigException;
import io.tributary.config.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the analysis job definitions ({@code *.yaml}) of a directory. */
public final class JobLoader {
  private JobLoader() {}

  public static List<JobConfig> loadAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("job directory " + dir + " does not exist: set jobsDir in the config file");
    }
    List<JobConfig> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
        out.add(load(f));
      }
    } catch (IOException e) {
      throw new ConfigException("cannot list job directory " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  public static JobConfig find(Path dir, String name) {
    List<JobConfig> all = loadAll(dir);
    return all.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow(() -> new ConfigException(
        "no analysis job named '" + name + "' in " + dir + "; known jobs: " + all.stream().map(JobConfig::name).toList()));
  }

  public static JobConfig load(Path file) {
    return Yaml.bindFile(file, JobConfig.class).withFile(file);
  }
}
