package io.tributary.analyze;

import java.util.List;

/**
 * Implemented by an {@link Analysis} that declares the input columns it uses, so the runner can reject a
 * wrong column name or type before reading any data.
 */
public interface RequiresColumns {
  List<ColumnRequirement> requiredColumns();
}
