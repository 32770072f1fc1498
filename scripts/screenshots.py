"""The README's dashboard screenshots, made by the demo: `lrs-bridge demo` on a fresh SQLite
database in a temporary folder, signed in with the administrator it prints, and the journey
overview and the skill-gap heat map saved as PNGs by headless Chromium (Playwright with
/usr/bin/chromium; the `test` extra).

    .venv/bin/python scripts/screenshots.py                 # docs/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --people 60 --out /tmp/shots
"""

import argparse
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from lrs_bridge.demo.server_process import free_port

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
READY = "the server runs until Ctrl-C"
WIDTH, HEIGHT = 1280, 800
SHOTS = {"overview.png": "/dashboard/overview", "heatmap.png": "/dashboard/skill-gaps"}
_LOGIN = re.compile(r"sign in as\s+(\S+), password (\S+)")
_DASHBOARD = re.compile(r"dashboard\s+(http://\S+/)")


def main() -> None:
    """Run the demo, take the screenshots, stop the demo."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200, help="the demo's people (200)")
    parser.add_argument("--seed", type=int, default=1, help="the demo's seed (1)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to save ({OUT})")
    parser.add_argument("--timeout", type=float, default=600, help="seconds the demo may "
                        "take to be ready (600)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lrs-bridge-screenshots-") as home:
        demo = subprocess.Popen(
            [sys.executable, "-m", "lrs_bridge", "demo", "--home", home, "--people",
             str(args.people), "--seed", str(args.seed), "--port", str(free_port())],
            stdout=subprocess.PIPE, text=True)
        try:
            root, email, password = _wait_for_login(demo, args.timeout)
            _screenshots(root, email, password, args.out)
        finally:
            demo.send_signal(signal.SIGINT)  # the demo stops its server as on Ctrl-C
            try:
                demo.wait(timeout=60)
            except subprocess.TimeoutExpired:
                demo.kill()


def _wait_for_login(demo: subprocess.Popen, timeout: float) -> tuple[str, str, str]:
    """The dashboard's address and the login the demo prints once it is ready."""
    deadline = time.monotonic() + timeout
    root = login = None
    for line in demo.stdout:
        found = _LOGIN.search(line)
        login = login or found
        if found is None and not line.startswith("API "):  # no password or key on screen
            print(line, end="")
        address = _DASHBOARD.search(line)
        root = root or (address and address.group(1))
        if line.strip() == READY and root and login:
            return root.rstrip("/"), login.group(1), login.group(2)
        if time.monotonic() > deadline:
            break
    raise SystemExit(f"the demo was not ready with a login within {timeout:.0f} s "
                     f"(exit status {demo.poll()})")


def _screenshots(root: str, email: str, password: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_context(locale="en-GB", viewport={
                "width": WIDTH, "height": HEIGHT}).new_page()
            page.goto(root + "/dashboard/login")
            page.get_by_label("E-mail address").fill(email)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(root + "/")
            for name, path in SHOTS.items():
                response = page.goto(root + path)
                if response is None or response.status != 200:
                    raise SystemExit(f"{path}: status {response and response.status}")
                page.screenshot(path=str(out / name), full_page=True)
                print(f"saved {out / name}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
