"""Airflow DAG: the Tributary analysis job of each UTC day, one task run per day.

Each DAG run analyses its logical date ({{ ds }}, the day whose data interval it covers): a run scheduled at
00:30 on 2026-03-05 analyses 2026-03-04, exactly as `scripts/tributary analyze --job JOB --date 2026-03-04`.
A backfill (`airflow dags backfill -s 2026-03-01 -e 2026-03-07 tributary_analyze_clickstream` on Airflow 2,
`airflow backfill create` on Airflow 3) therefore runs the same day windows as `analyze --from/--to`: each
day replaces that day's results, so re-running a day is safe.

- catchup=False: enabling the DAG does not start a run per day since start_date; backfill on purpose.
- max_active_runs=1: days run one after another, in order (the job's lock would refuse overlapping runs
  anyway, with exit code 75, which is retried).
- Exit code 99 (nothing to do: no events that day) marks the task skipped, not failed.
Copy this file into the DAGs folder of a worker that has the Tributary checkout at TRIBUTARY_HOME.
"""
import os
from datetime import datetime, timedelta, timezone

from airflow import DAG
from airflow.timetables.interval import CronDataIntervalTimetable

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

TRIBUTARY_HOME = os.environ.get("TRIBUTARY_HOME", "/opt/tributary")
JOB = "clickstream"

with DAG(
    dag_id="tributary_analyze_" + JOB,
    description="Tributary analysis job " + JOB + ", one UTC day per run",
    # Data intervals (Airflow 2's default, explicit for Airflow 3, whose plain cron schedules have none): the
    # run at 00:30 UTC covers the day before, and {{ ds }} is that day.
    schedule=CronDataIntervalTimetable("30 0 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "tributary",
        "retries": 3,
        "retry_delay": timedelta(minutes=15),
    },
    tags=["tributary"],
) as dag:
    analyze = BashOperator(
        task_id="analyze",
        bash_command=TRIBUTARY_HOME + "/scripts/tributary analyze --job " + JOB + " --date {{ ds }}",
        env={"TRIBUTARY_NO_BUILD": "1"},
        append_env=True,
        skip_on_exit_code=99,
    )
