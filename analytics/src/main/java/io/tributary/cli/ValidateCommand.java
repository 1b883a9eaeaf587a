package io.tributary.cli;

import io.tributary.analyze.JobLoader;
import io.tributary.config.ConfigException;
import io.tributary.config.PipelineLoader;
import io.tributary.config.TributaryConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tributary validate}: checks the application config and every pipeline and job file without starting
 * Spark: YAML syntax, keys and values, schema DDL and rule expressions (parsed with Spark's parser classes).
 * Whether a rule's columns exist and a job's columns have the right types is checked when the command that
 * uses them runs.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check conf/tributary.yaml and every pipeline and job file without starting Spark.",
        "Prints one line per file, OK or what is wrong and where; exits with 2 if any file has an error."})
final class ValidateCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    TributaryConfig config;
    try {
      config = configOptions.load();
      out.println("OK     " + configOptions.describeSource());
    } catch (ConfigException e) {
      out.println("ERROR  " + e.getMessage());
      return 2;
    }
    boolean ok = check(out, config.pipelinesPath(), "pipeline", f -> PipelineLoader.load(f).name());
    ok &= check(out, config.jobsPath(), "job", f -> JobLoader.load(f).name());
    return ok ? 0 : 2;
  }

  /** Loads every YAML file of {@code dir}, printing a line each; names must be unique per kind. */
  private static boolean check(PrintStream out, Path dir, String kind, Function<Path, String> load) {
    if (!Files.isDirectory(dir)) {
      out.println("ERROR  " + dir + ": the " + kind + " directory does not exist; create it or set " + kind + "sDir");
      return false;
    }
    boolean ok = true;
    Map<String, Path> names = new HashMap<>();
    for (Path f : yamlFiles(dir)) {
      try {
        String name = load.apply(f);
        Path other = names.putIfAbsent(name, f);
        if (other != null) {
          throw new ConfigException(f + ": " + kind + " name '" + name + "' is already used by " + other + "; rename one");
        }
        out.println("OK     " + f);
      } catch (ConfigException e) {
        out.println("ERROR  " + e.getMessage());
        ok = false;
      }
    }
    return ok;
  }

  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new ConfigException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
