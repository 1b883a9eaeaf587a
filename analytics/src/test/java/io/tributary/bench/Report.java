package io.tributary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's figures: printed as a table, and written as JSON and Markdown. */
final class Report {
  /** One figure. {@code value} is a number, or text such as "yes". */
  record Metric(String section, String name, Object value, String unit, String note) {}

  private final Map<String, Object> header = new LinkedHashMap<>();
  private final List<Metric> metrics = new ArrayList<>();
  private final Map<String, Object> runs = new LinkedHashMap<>();

  void header(String key, Object value) {
    header.put(key, value);
  }

  void add(String section, String name, Object value, String unit, String note) {
    metrics.add(new Metric(section, name, value, unit, note));
  }

  /** Keeps every child's raw figures in the JSON, for whoever wants more than the medians. */
  void raw(String run, Object values) {
    runs.put(run, values);
  }

  List<Metric> metrics() {
    return List.copyOf(metrics);
  }

  void print(PrintStream out) {
    header.forEach((k, v) -> out.printf("%s: %s%n", k, v));
    int sw = width(0, "section");
    int nw = width(1, "metric");
    int vw = width(2, "value");
    String fmt = "%-" + sw + "s  %-" + nw + "s  %" + vw + "s  %s%n";
    out.printf(fmt, "section", "metric", "value", "unit");
    out.printf(fmt, "-".repeat(sw), "-".repeat(nw), "-".repeat(vw), "----");
    for (Metric m : metrics) {
      out.printf(fmt, m.section(), m.name(), format(m.value()), m.unit() + (m.note().isEmpty() ? "" : "  (" + m.note() + ")"));
    }
    out.flush();
  }

  void writeJson(Path file) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>(header);
    doc.put("metrics", metrics);
    doc.put("runs", runs);
    Files.createDirectories(file.getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
  }

  void writeMarkdown(Path file) throws IOException {
    StringBuilder md = new StringBuilder("# Tributary benchmark\n\n");
    header.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append("\n| section | metric | value | unit |\n|---|---|---:|---|\n");
    for (Metric m : metrics) {
      md.append("| ").append(m.section()).append(" | ").append(m.name()).append(" | ").append(format(m.value()))
          .append(" | ").append(m.unit()).append(m.note().isEmpty() ? "" : " (" + m.note() + ")").append(" |\n");
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, md);
  }

  static String format(Object value) {
    if (value instanceof Double d) {
      if (d.isNaN()) {
        return "n/a";
      }
      double a = Math.abs(d);
      return String.format(Locale.ROOT, a >= 1000 ? "%,.0f" : a >= 10 ? "%.1f" : "%.2f", d);
    }
    if (value instanceof Long || value instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
    }
    return String.valueOf(value);
  }

  private int width(int column, String title) {
    int w = title.length();
    for (Metric m : metrics) {
      String s = switch (column) {
        case 0 -> m.section();
        case 1 -> m.name();
        default -> format(m.value());
      };
      w = Math.max(w, s.length());
    }
    return w;
  }
}
