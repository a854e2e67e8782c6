"""``python -m dashboard`` (``make dashboard``): serve the dashboard with Streamlit.

It listens on 127.0.0.1:8501 unless LEAD_WAREHOUSE_DASHBOARD_ADDRESS / _PORT say otherwise, sends no
usage statistics and fetches nothing from the internet: the pages work on a closed network.
"""

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
ADDRESS_VARIABLE = "LEAD_WAREHOUSE_DASHBOARD_ADDRESS"
PORT_VARIABLE = "LEAD_WAREHOUSE_DASHBOARD_PORT"


DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501


def serve_command(address: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", address,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--global.developmentMode", "false",
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip


def main() -> None:
    address = os.environ.get(ADDRESS_VARIABLE) or DEFAULT_ADDRESS
    port = int(os.environ.get(PORT_VARIABLE) or DEFAULT_PORT)
    print(f"ダッシュボード Dashboard: http://{address}:{port} (Ctrl-C で終了 to stop)", flush=True)
    os.execv(sys.executable, serve_command(address, port))


if __name__ == "__main__":
    main()
