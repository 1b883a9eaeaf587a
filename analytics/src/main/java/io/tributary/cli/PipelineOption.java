package io.tributary.cli;

import io.tributary.config.PipelineConfig;
import io.tributary.config.PipelineLoader;
import io.tributary.config.TributaryConfig;
import picocli.CommandLine.Option;

/** The one pipeline a command works on ({@code --pipeline NAME}), as a picocli mixin. */
final class PipelineOption {
  @Option(names = {"-p", "--pipeline"}, paramLabel = "NAME", required = true, description = "The pipeline.")
  String name;

  PipelineConfig load(TributaryConfig config) {
    return PipelineLoader.find(config.pipelinesPath(), name);
  }
}
