package io.tributary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.analyze.JobLoader;
import io.tributary.schedule.Days;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The definitions in scripts/schedules/ call the wrapper with options that exist: each command line is parsed by
 * the CLI's own picocli model (an unknown option, a missing --job or a bad day fails), names a shipped job, and
 * the Airflow DAG compiles and, run with a stand-in for Airflow's classes, builds the task it documents.
 */
class ScheduleFilesTest {
  private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
  private static final Path SCHEDULES = ROOT.resolve("scripts/schedules");

  @TempDir Path tmp;

  /** Parses {@code tributary ARGS} as the CLI does and checks the analyze options; returns the command. */
  private static AnalyzeCommand parseAnalyze(List<String> args) {
    CommandLine cli = new CommandLine(new Tributary());
    CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
    CommandLine.ParseResult sub = parsed.subcommand();
    assertEquals("analyze", sub.commandSpec().name(), String.valueOf(args));
    AnalyzeCommand cmd = (AnalyzeCommand) sub.commandSpec().userObject();
    Days days = Days.of(cmd.date, cmd.from, cmd.to, Clock.systemUTC());
    assertTrue(days != null && !days.backfill(), "one day per run: " + args);
    JobLoader.find(ROOT.resolve("conf/jobs"), cmd.job);
    return cmd;
  }

  /** The words after {@code .../scripts/tributary}, up to a redirection. */
  private static List<String> wrapperArgs(String commandLine) {
    List<String> words = Arrays.asList(commandLine.trim().split("\\s+"));
    int at = -1;
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).endsWith("scripts/tributary")) {
        at = i;
      }
    }
    assertTrue(at >= 0, "calls scripts/tributary: " + commandLine);
    List<String> out = new ArrayList<>();
    for (String w : words.subList(at + 1, words.size())) {
      if (w.startsWith(">") || w.startsWith("2>") || w.equals("|") || w.equals(";") || w.equals("&&")) {
        break;
      }
      out.add(w);
    }
    return out;
  }

  @Test
  void cronAndSystemdCallTheWrapperWithRealOptions() throws IOException {
    List<String> cron = Files.readAllLines(SCHEDULES.resolve("crontab")).stream()
        .filter(l -> l.matches("^[0-9*].*")).toList();
    assertEquals(1, cron.size(), String.valueOf(cron));
    assertTrue(cron.get(0).matches("30 0 \\* \\* \\* .*"), cron.get(0));
    assertEquals("clickstream", parseAnalyze(wrapperArgs(cron.get(0))).job);
    assertTrue(Files.isExecutable(ROOT.resolve("scripts/tributary")));

    String service = Files.readString(SCHEDULES.resolve("systemd/tributary-analyze@.service"));
    Matcher exec = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(service);
    assertTrue(exec.find(), service);
    AnalyzeCommand fromUnit = parseAnalyze(wrapperArgs(exec.group(1).replace("%i", "clickstream")));
    assertEquals("yesterday", fromUnit.date);
    assertTrue(service.contains("SuccessExitStatus=" + ExitCodes.NOTHING_TO_DO), "nothing to do is not a failure");
    assertTrue(service.contains("RestartPreventExitStatus=" + ExitCodes.USAGE));
    String timer = Files.readString(SCHEDULES.resolve("systemd/tributary-analyze@.timer"));
    assertTrue(timer.contains("OnCalendar=*-*-* 00:30:00 UTC"), timer);
  }

  @Test
  void theAirflowDagCompilesAndRunsTheCliWithTheRunsDay() throws Exception {
    Path dag = SCHEDULES.resolve("airflow/tributary_analyze.py");
    run(List.of("python3", "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], "
        + "doraise=True)", dag.toString(), tmp.resolve("dag.pyc").toString()));

    // A stand-in for the parts of Airflow the DAG uses, recording what it builds.
    Path fake = tmp.resolve("fake");
    write(fake.resolve("airflow/__init__.py"), """
        TASKS = []
        DAGS = []
        class DAG:
            def __init__(self, dag_id, **kw):
                self.dag_id, self.kw = dag_id, kw
                DAGS.append(self)
            def __enter__(self):
                return self
            def __exit__(self, *a):
                return False
        """);
    write(fake.resolve("airflow/operators/__init__.py"), "");
    write(fake.resolve("airflow/operators/bash.py"), """
        import airflow
        class BashOperator:
            def __init__(self, task_id, bash_command, **kw):
                self.task_id, self.bash_command, self.kw = task_id, bash_command, kw
                airflow.TASKS.append(self)
        """);
    write(fake.resolve("airflow/timetables/__init__.py"), "");
    write(fake.resolve("airflow/timetables/interval.py"), """
        class CronDataIntervalTimetable:
            def __init__(self, cron, timezone):
                self.cron, self.timezone = cron, timezone
        """);
    String out = run(List.of("python3", "-c", """
        import runpy, sys, airflow
        runpy.run_path(sys.argv[1])
        dag, = airflow.DAGS
        task, = airflow.TASKS
        kw = dag.kw
        print(dag.dag_id)
        print(kw["schedule"].cron, kw["schedule"].timezone, kw["catchup"], kw["max_active_runs"],
              kw["default_args"]["retries"], task.kw["skip_on_exit_code"], kw["start_date"].tzinfo)
        print(task.bash_command)
        """, dag.toString()), fake, "/opt/tributary");
    List<String> lines = out.lines().toList();
    assertEquals("tributary_analyze_clickstream", lines.get(0));
    assertEquals("30 0 * * * UTC False 1 3 " + ExitCodes.NOTHING_TO_DO + " UTC", lines.get(1));
    String command = lines.get(2);
    assertEquals("/opt/tributary/scripts/tributary analyze --job clickstream --date {{ ds }}", command);
    // Airflow renders {{ ds }} as the run's day, YYYY-MM-DD: the CLI takes it as --date.
    AnalyzeCommand cmd = parseAnalyze(wrapperArgs(command.replace("{{ ds }}", "2026-03-04")));
    assertEquals("2026-03-04", cmd.date);
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static String run(List<String> cmd) throws Exception {
    return run(cmd, null, null);
  }

  private static String run(List<String> cmd, Path pythonPath, String home) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (pythonPath != null) {
      pb.environment().put("PYTHONPATH", pythonPath.toString());
      pb.environment().put("TRIBUTARY_HOME", home);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
    return out;
  }
}
