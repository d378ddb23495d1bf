"""Airflow DAG: daily GPT-1-style fine-tuning with sparkgpt's finetune job, and generative fine-tuning (prompt ->
response pairs) with its sft job, both from the same pretrained checkpoint; then preference tuning (dpo) of the
model that day's sft run wrote (same run id).

The run id is the logical date, so each DAG run writes its own directory and the job's idempotency (a completed
run id is skipped, a partial one redone) makes Airflow retries and backfills safe. Needs the
apache-airflow-providers-apache-spark package and a `spark_default` connection pointing at the cluster.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

APP_JAR = "/opt/sparkgpt/sparkgpt-jobs-0.1.0-SNAPSHOT-app.jar"  # mvn -Papp -DskipTests package
MAIN_CLASS = "io.github.sparkgpt.jobs.FinetuneJob"
SFT_CLASS = "io.github.sparkgpt.jobs.SftJob"
DPO_CLASS = "io.github.sparkgpt.jobs.DpoJob"
# Spark on Java 17 needs these on the driver (executors get them from Spark 3.5 itself).
JAVA17_OPENS = " ".join(
    f"--add-opens=java.base/{p}=ALL-UNNAMED"
    for p in [
        "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
        "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs",
        "sun.security.action", "sun.util.calendar",
    ]
)

with DAG(
    dag_id="sparkgpt_finetune",
    description="Fine-tune the pretrained sparkgpt decoder on the latest labelled task data and prompt -> response pairs",
    schedule="0 3 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10), "owner": "ml-platform"},
    tags=["sparkgpt", "finetune", "sft", "dpo"],
) as dag:
    # what both jobs' submissions share
    submit = dict(
        conn_id="spark_default",
        application=APP_JAR,
        conf={
            "spark.driver.extraJavaOptions": JAVA17_OPENS,
            "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
        },
        driver_memory="4g",
        executor_memory="6g",
        executor_cores=2,
        num_executors=2,
    )
    checkpoint = Variable.get("sparkgpt_checkpoint", "/data/sparkgpt/pretrain/latest")
    finetune = SparkSubmitOperator(
        task_id="finetune",
        java_class=MAIN_CLASS,
        name="sparkgpt-finetune-{{ ds_nodash }}",
        **submit,
        application_args=[
            "--checkpoint", checkpoint,
            "--task", "classification",
            "--train", Variable.get("sparkgpt_train", "/data/sparkgpt/tasks/train.jsonl"),
            "--validation", Variable.get("sparkgpt_validation", "/data/sparkgpt/tasks/validation.jsonl"),
            "--output", "/data/sparkgpt/finetune",
            "--run-id", "{{ ds }}",
            # a retry after a killed driver takes over its lease once unrenewed for 5 min (a live run renews it)
            "--break-lease",
        ],
    )
    sft = SparkSubmitOperator(
        task_id="sft",
        java_class=SFT_CLASS,
        name="sparkgpt-sft-{{ ds_nodash }}",
        **submit,
        application_args=[
            "--checkpoint", checkpoint,
            "--train", Variable.get("sparkgpt_sft_train", "/data/sparkgpt/tasks/sft/train.jsonl"),
            "--validation", Variable.get("sparkgpt_sft_validation", "/data/sparkgpt/tasks/sft/validation.jsonl"),
            "--test", Variable.get("sparkgpt_sft_test", "/data/sparkgpt/tasks/sft/test.jsonl"),
            "--prompt-column", "prompt",
            "--response-column", "response",
            "--output", "/data/sparkgpt/sft",
            "--run-id", "{{ ds }}",
            "--break-lease",
        ],
    )
    # starts from the model of the same day's sft run; a rerun of a complete dpo run id exits 0 at once
    dpo = SparkSubmitOperator(
        task_id="dpo",
        java_class=DPO_CLASS,
        name="sparkgpt-dpo-{{ ds_nodash }}",
        **submit,
        application_args=[
            "--checkpoint", "/data/sparkgpt/sft/{{ ds }}/model",
            "--pairs", Variable.get("sparkgpt_dpo_pairs", "/data/sparkgpt/tasks/dpo/train.jsonl"),
            "--validation", Variable.get("sparkgpt_dpo_validation", "/data/sparkgpt/tasks/dpo/validation.jsonl"),
            "--output", "/data/sparkgpt/dpo",
            "--run-id", "{{ ds }}",
            "--break-lease",
        ],
    )
    sft >> dpo
