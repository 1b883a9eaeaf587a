package io.tributary.analyze.profile;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import scala.Tuple5;

/**
 * The two Spark aggregates built on {@link MomentsBuffer}; both return {@code STRUCT<m2, m3, m4, mean, n>}.
 *
 * <pre>{@code
 * rows.groupBy("hour").agg(MomentAggregates.ofValues(col("price").cast("double")).as("m"));
 * states.groupBy("week").agg(MomentAggregates.ofStates(col("n"), col("mean"), col("m2"), col("m3"), col("m4")));
 * }</pre>
 */
final class MomentAggregates {
  private static final UserDefinedFunction OF_VALUES = functions.udaf(new OfValues(), Encoders.DOUBLE());
  private static final UserDefinedFunction OF_STATES = functions.udaf(new OfStates(),
      Encoders.tuple(Encoders.LONG(), Encoders.DOUBLE(), Encoders.DOUBLE(), Encoders.DOUBLE(), Encoders.DOUBLE()));

  private MomentAggregates() {}

  /** Moments of a DOUBLE column; nulls are skipped. */
  static Column ofValues(Column x) {
    return OF_VALUES.apply(x);
  }

  /** Moments of the union of finished states; states without values (n = 0, mean null) are skipped. */
  static Column ofStates(Column n, Column mean, Column m2, Column m3, Column m4) {
    return OF_STATES.apply(n, mean, m2, m3, m4);
  }

  private abstract static class Base<IN> extends Aggregator<IN, MomentsBuffer, Moments> {
    @Override
    public MomentsBuffer zero() {
      return new MomentsBuffer();
    }

    @Override
    public MomentsBuffer merge(MomentsBuffer a, MomentsBuffer b) {
      a.merge(b);
      return a;
    }

    @Override
    public Moments finish(MomentsBuffer b) {
      return b.result();
    }

    @Override
    public Encoder<MomentsBuffer> bufferEncoder() {
      return Encoders.bean(MomentsBuffer.class);
    }

    @Override
    public Encoder<Moments> outputEncoder() {
      return Encoders.bean(Moments.class);
    }
  }

  private static final class OfValues extends Base<Double> {
    @Override
    public MomentsBuffer reduce(MomentsBuffer b, Double x) {
      if (x != null) {
        b.add(x);
      }
      return b;
    }
  }

  private static final class OfStates extends Base<Tuple5<Long, Double, Double, Double, Double>> {
    @Override
    public MomentsBuffer reduce(MomentsBuffer b, Tuple5<Long, Double, Double, Double, Double> s) {
      if (s != null && s._1() != null && s._1() > 0 && s._2() != null) {
        b.merge(MomentsBuffer.of(s._1(), s._2(), s._3(), s._4(), s._5()));
      }
      return b;
    }
  }
}
