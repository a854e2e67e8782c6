"""``python -m crm_writeback`` (``make writeback``): write the CRM import files of the leads whose
score fields changed since the last write-back (the refresh job does it after publishing)."""

from crm_writeback.writeback import write_back
from warehouse_core.settings import published_warehouse_file

if __name__ == "__main__":
    print(f"CRM write-back: {write_back(published_warehouse_file()).describe()}")
