package io.tributary.analyze.profile;

import java.io.Serializable;

/**
 * Finished moments of a set of doubles, the mergeable part of a profile state: {@code n} values, their mean and
 * central moment sums {@code M2}, {@code M3}, {@code M4}. A Java bean so Spark can return it from an aggregate
 * as {@code STRUCT<m2, m3, m4, mean, n>}.
 */
public final class Moments implements Serializable {
  private static final long serialVersionUID = 1L;

  private long n;
  private Double mean;
  private double m2;
  private double m3;
  private double m4;

  public Moments() {}

  public Moments(long n, Double mean, double m2, double m3, double m4) {
    this.n = n;
    this.mean = mean;
    this.m2 = m2;
    this.m3 = m3;
    this.m4 = m4;
  }

  public long getN() {
    return n;
  }

  public void setN(long n) {
    this.n = n;
  }

  public Double getMean() {
    return mean;
  }

  public void setMean(Double mean) {
    this.mean = mean;
  }

  public double getM2() {
    return m2;
  }

  public void setM2(double m2) {
    this.m2 = m2;
  }

  public double getM3() {
    return m3;
  }

  public void setM3(double m3) {
    this.m3 = m3;
  }

  public double getM4() {
    return m4;
  }

  public void setM4(double m4) {
    this.m4 = m4;
  }
}
