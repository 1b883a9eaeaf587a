"""Helpers that keep Tributary's notebooks short: connect to the lake, list its tables, draw the standard charts.

The lake is served by ``tributary connect`` (``scripts/notebook`` starts it): every Delta table is named by its
layer, e.g. ``silver.clickstream``, ``ops.batches``, ``gold.anomalies``. Queries run on the server; only small
results (aggregates, gold tables, samples) come back as pandas DataFrames. Chart functions return a matplotlib
Figure, which Jupyter renders and tests can inspect.
"""

import os

import pandas as pd
from matplotlib.figure import Figure

DEFAULT_URL = "sc://127.0.0.1:15002"
LAYERS = ("bronze", "silver", "quarantine", "ops", "gold")


def _render_figures_in_jupyter():
    """Figures are built without pyplot (no global state, nothing leaks between cells), so tell IPython to
    render a returned Figure as a PNG image, as pyplot's inline backend would."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        select_figure_formats(shell, {"png"}, bbox_inches="tight")


_render_figures_in_jupyter()


def connect_url():
    """The Spark Connect URL: $TRIBUTARY_CONNECT_URL, else the default of ``tributary connect``."""
    return os.environ.get("TRIBUTARY_CONNECT_URL") or DEFAULT_URL


def connect(url=None):
    """A Spark session on the ``tributary connect`` server."""
    from pyspark.sql import SparkSession

    return SparkSession.builder.remote(url or connect_url()).getOrCreate()


def _pandas(spark, sql):
    return spark.sql(sql).toPandas()


def tables(spark):
    """Every lake table: its layer, rows, Delta version, files and size, in layer order."""
    schemas = set(_pandas(spark, "SHOW SCHEMAS").iloc[:, 0])
    rows = []
    for layer in [layer for layer in LAYERS if layer in schemas]:
        for name in sorted(_pandas(spark, f"SHOW TABLES IN {layer}")["tableName"]):
            table = f"{layer}.{name}"
            detail = spark.sql(f"DESCRIBE DETAIL {table}").first()
            version = spark.sql(f"DESCRIBE HISTORY {table} LIMIT 1").first()["version"]
            rows.append({
                "table": table,
                "rows": spark.table(table).count(),
                "version": version,
                "files": detail["numFiles"],
                "size_mb": round(detail["sizeInBytes"] / 1e6, 3),
                "last_modified": detail["lastModified"],
            })
    return pd.DataFrame(rows, columns=["table", "rows", "version", "files", "size_mb", "last_modified"])


def history(spark, table, limit=10):
    """A table's Delta history, newest first: what each commit did and how many rows it wrote."""
    h = _pandas(spark, f"DESCRIBE HISTORY {table} LIMIT {int(limit)}")
    h["rows_written"] = h["operationMetrics"].map(lambda m: (m or {}).get("numOutputRows"))
    return h[["version", "timestamp", "operation", "rows_written"]]


def pipelines(spark):
    """Per pipeline from ops.batches: batches, volumes, the last batch and how fresh its data is."""
    return _pandas(spark, """
        SELECT pipeline, count(*) AS batches, sum(received) AS received, sum(silver_rows) AS silver,
               sum(quarantined) AS quarantined, sum(duplicates) AS duplicates,
               max(finished_at) AS last_batch_at, max(max_event_time) AS newest_event,
               max_by(freshness_seconds, finished_at) AS freshness_seconds, bool_and(reconciled) AS all_reconciled
        FROM ops.batches GROUP BY pipeline ORDER BY pipeline""")


def reconciliation(spark):
    """Per batch: received = silver + quarantined + duplicates + replayed, recomputed next to ops' own flag."""
    return _pandas(spark, """
        SELECT pipeline, batch_id, finished_at, received, silver_rows, quarantined, duplicates, replayed,
               silver_rows + quarantined + duplicates + replayed AS accounted,
               received = silver_rows + quarantined + duplicates + replayed AS balances, reconciled
        FROM ops.batches ORDER BY pipeline, batch_id""")


def _figure(width=9, height=3.5):
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


def plot_hourly_events(spark, table="silver.clickstream", time_column="event_time"):
    """Events per hour of event time in a silver table (aggregated on the server)."""
    counts = _pandas(spark, f"SELECT date_trunc('hour', {time_column}) AS hour, count(*) AS events "
                            f"FROM {table} GROUP BY 1 ORDER BY 1")
    fig, ax = _figure()
    ax.plot(counts["hour"], counts["events"], linewidth=1)
    ax.set(title=f"{table}: events per hour", ylabel="events")
    fig.autofmt_xdate()
    return fig


def profile(spark, column, window="day", slice_key=None, job="clickstream"):
    """gold.profiles rows of one column per window, overall (slice_key None) or per value of a dimension."""
    where = "slice_key IS NULL" if slice_key is None else f"slice_key = '{slice_key}'"
    return _pandas(spark, f"""
        SELECT window_start, slice_value, count, null_rate, mean, stddev, min, max, quantiles
        FROM gold.profiles WHERE job = '{job}' AND window = '{window}' AND column = '{column}' AND {where}
        ORDER BY window_start, slice_value""")


def plot_profile(profiles, metric="mean", title=None):
    """One line per slice (or one overall line) of a profile metric over windows."""
    fig, ax = _figure()
    groups = profiles.groupby(profiles["slice_value"].fillna("all"))
    for name, g in groups:
        ax.plot(g["window_start"], g[metric], marker="o", markersize=3, label=name)
    ax.set(title=title or metric, ylabel=metric)
    if groups.ngroups > 1:
        ax.legend(fontsize="small", ncol=2)
    fig.autofmt_xdate()
    return fig


def correlation_matrix(spark, method="pearson", job="clickstream"):
    """The job's current correlation matrix (gold.correlations) as a square DataFrame."""
    c = _pandas(spark, f"SELECT column_x, column_y, value FROM gold.correlations "
                       f"WHERE job = '{job}' AND method = '{method}'")
    return c.pivot(index="column_x", columns="column_y", values="value")


def plot_heatmap(matrix, title="correlation"):
    """A correlation matrix as a heatmap, values written in the cells."""
    fig, ax = _figure(4.5, 4)
    image = ax.imshow(matrix.values, vmin=-1, vmax=1, cmap="RdBu_r")
    ax.set_xticks(range(len(matrix.columns)), matrix.columns)
    ax.set_yticks(range(len(matrix.index)), matrix.index)
    for i in range(len(matrix.index)):
        for j in range(len(matrix.columns)):
            value = matrix.values[i, j]
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", color="white" if abs(value) > 0.5 else "black")
    fig.colorbar(image, ax=ax)
    ax.set_title(title)
    return fig


def drift(spark, test="psi", job="clickstream"):
    """gold.drift for one test: each column's statistic per window against its baseline, and the flag."""
    return _pandas(spark, f"""
        SELECT window_start, column, statistic, p_value, drifted, note FROM gold.drift
        WHERE job = '{job}' AND test = '{test}' ORDER BY window_start, column""")


def plot_drift(drift_rows, title="drift"):
    """A drift statistic per column over windows; drifted windows marked with a red x."""
    fig, ax = _figure()
    for column, g in drift_rows.groupby("column"):
        ax.plot(g["window_start"], g["statistic"], marker="o", markersize=3, label=column)
    flagged = drift_rows[drift_rows["drifted"] == True]  # noqa: E712 (None means not tested)
    ax.scatter(flagged["window_start"], flagged["statistic"], marker="x", color="red", zorder=3, label="drifted")
    ax.set(title=title, ylabel="statistic")
    ax.legend(fontsize="small", ncol=3)
    fig.autofmt_xdate()
    return fig


def anomalies(spark, series="*", method="seasonal", job="clickstream"):
    """gold.anomalies of one series and method: the hourly count, expected value, band and flag."""
    return _pandas(spark, f"""
        SELECT window_start, value, expected, lower, upper, score, is_anomaly, direction FROM gold.anomalies
        WHERE job = '{job}' AND series = '{series}' AND method = '{method}' ORDER BY window_start""")


def flagged_anomalies(spark, job="clickstream"):
    """Every flagged hour and series, once, with the methods that flagged it and the largest score."""
    return _pandas(spark, f"""
        SELECT window_start, series, first(direction) AS direction, max(value) AS value,
               max_by(expected, abs(score)) AS expected, max_by(score, abs(score)) AS score,
               array_join(sort_array(collect_set(method)), ', ') AS methods
        FROM gold.anomalies WHERE job = '{job}' AND is_anomaly
        GROUP BY window_start, series ORDER BY window_start, series""")


def plot_anomalies(rows, title="events per hour"):
    """Counts with the expected value and its band; flagged hours marked in red."""
    fig, ax = _figure(10, 4)
    ax.fill_between(rows["window_start"], rows["lower"].astype(float), rows["upper"].astype(float),
                    color="tab:blue", alpha=0.15, label="expected band")
    ax.plot(rows["window_start"], rows["expected"], linestyle="--", color="tab:blue", linewidth=1, label="expected")
    ax.plot(rows["window_start"], rows["value"], color="black", linewidth=1, label="count")
    flagged = rows[rows["is_anomaly"] == True]  # noqa: E712
    ax.scatter(flagged["window_start"], flagged["value"], color="red", zorder=3, label="anomaly")
    ax.set(title=title, ylabel="events")
    ax.legend(fontsize="small")
    fig.autofmt_xdate()
    return fig


def quarantine_reasons(spark, table="quarantine.clickstream", freq="day"):
    """Quarantined records per rule and ingest period (a record failing two rules counts for both)."""
    return _pandas(spark, f"""
        SELECT date_trunc('{freq}', ingest_time) AS period, e.rule AS rule, count(*) AS records
        FROM {table} LATERAL VIEW explode(errors) x AS e GROUP BY 1, 2 ORDER BY 1, 2""")


def plot_quarantine_reasons(reasons, title="quarantined records by rule"):
    """Stacked bars of quarantined records per rule and period."""
    fig, ax = _figure()
    wide = reasons.pivot_table(index="period", columns="rule", values="records", aggfunc="sum", fill_value=0)
    bottom = None
    labels = [str(p) for p in wide.index]
    for rule in wide.columns:
        ax.bar(labels, wide[rule], bottom=bottom, label=rule)
        bottom = wide[rule] if bottom is None else bottom + wide[rule]
    ax.set(title=title, ylabel="records")
    ax.legend(fontsize="small")
    return fig


def bad_records(spark, table="quarantine.clickstream", limit=10):
    """A sample of quarantined records: the payload as received and every reason it was rejected."""
    return _pandas(spark, f"""
        SELECT ingest_time, source, source_offset, transform(errors, e -> e.rule) AS rules,
               transform(errors, e -> e.message) AS messages, payload
        FROM {table} ORDER BY ingest_time, source, source_offset LIMIT {int(limit)}""")
