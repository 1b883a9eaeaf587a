package io.tributary.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;
import java.util.Map;

/** The one ObjectMapper and timestamp format shared by the generator, the sinks and the ground truth. */
final class Json {

  /** Thread-safe once configured; instants are written as ISO-8601 strings. */
  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** For files people read, such as the ground truth. */
  static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private static final ObjectWriter COMPACT = MAPPER.writer();

  /** Event times always carry exactly three fraction digits, e.g. 2026-03-02T14:05:09.120Z. */
  private static final DateTimeFormatter MILLIS = new DateTimeFormatterBuilder()
      .appendInstant(3).toFormatter(Locale.ROOT);

  private Json() {
  }

  /** One compact JSON object, fields in map order. */
  static String line(Map<String, Object> fields) {
    try {
      return COMPACT.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String timestamp(long epochMillis) {
    return MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }
}
