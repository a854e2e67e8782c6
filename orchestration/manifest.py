"""``python -m orchestration.manifest``: (re)build the dbt manifest that the Dagster definitions load."""

from orchestration.project import build_manifest

if __name__ == "__main__":
    print(f"dbt manifest written to {build_manifest()}")
