"""``python -m orchestration.refresh``: run the refresh job once, recorded in the Dagster instance.

This is what ``make demo`` runs. The run appears in the Dagster UI (``make dev``) like a scheduled one,
because it uses the same instance (``DAGSTER_HOME``).
"""

import sys

from dagster import DagsterInstance

from orchestration.definitions import defs
from orchestration.jobs import refresh_warehouse_job

_INFO_LOGS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def main() -> int:
    job = defs.resolve_job_def(refresh_warehouse_job.name)
    with DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, run_config=_INFO_LOGS, raise_on_error=False)
    if not result.success:
        print(
            "The refresh failed; the step that failed and its error are above. The marts of the last "
            "successful run are still in place.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
