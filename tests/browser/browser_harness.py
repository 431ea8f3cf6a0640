"""Browser harness for the notebooks: JupyterLab / Voila servers in temp dirs, and the checks a
notebook page must pass in Chromium.

Used by tests/browser/test_*.py (through pytest-playwright's ``page`` fixture; the launch
arguments are `launch_args()`, set in tests/conftest.py) and by bench/bench_browser_latency.py.
Everything the servers write (config, runtime, data, settings, workspaces, the copy of the
repository) lives in a temporary directory, never in the repository.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("W2V_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
    # No network here: resolve every host but the loopback to "not found" at once, so a
    # stylesheet or badge from a CDN in a notebook can never stall the page on DNS.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
_EXTERNAL_URL = re.compile(r"^(https?|wss?)://(?!(127\.0\.0\.1|localhost)[:/])", re.I)

# Opt-outs widget authors can set with `widget.add_class(...)`:
#   w2v-browser-skip       the harness does not touch this control at all
#   w2v-browser-no-figure  the control is exercised, but need not change a figure
SKIP_CLASS = "w2v-browser-skip"
NO_FIGURE_CLASS = "w2v-browser-no-figure"

# What the temporary copy of the repository leaves out: caches and build output at any depth,
# and at the top level the test and benchmark code (the notebooks never read those).
_COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    "__pycache__",
    "*.egg-info",
    ".venv*",
    "test-artifacts",
    ".ipynb_checkpoints",
    ".hypothesis",
    ".pytest_cache",
    ".coverage",
)
_TOP_LEVEL_SKIP = {"tests", "bench", "build", "dist", "venv"}


# --------------------------------------------------------------------------------------------
# Availability / skip policy
# --------------------------------------------------------------------------------------------
def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        return f"the playwright python package is not importable ({exc})"
    return None


def browser_required() -> bool:
    return os.environ.get("W2V_REQUIRE_BROWSER", "") == "1"


def launch_args() -> dict:
    """Keyword arguments of ``playwright.chromium.launch``: Debian's Chromium, headless."""
    return {"executable_path": CHROMIUM, "headless": True, "args": list(CHROMIUM_ARGS)}


# --------------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------------
def repo_notebooks() -> list[Path]:
    """The numbered notebooks that exist right now (NN_*.ipynb)."""
    return sorted(p for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def fixture_notebooks() -> list[Path]:
    return sorted(FIXTURE_DIR.glob("*.ipynb"))


FIXTURE_WIDGETS = FIXTURE_DIR / "fixture_widgets.ipynb"
FIXTURE_BROKEN = FIXTURE_DIR / "fixture_broken.ipynb"


def voila_notebooks() -> list[Path]:
    """Real notebooks for the Voila tests: $W2V_VOILA_NOTEBOOKS (comma-separated numbers or names,
    or "all"), else the first two numbered notebooks that use ipywidgets."""
    nbs = repo_notebooks()
    sel = os.environ.get("W2V_VOILA_NOTEBOOKS", "").strip()
    if sel == "all":
        return nbs
    if sel:
        keys = [k.strip() for k in sel.split(",") if k.strip()]
        return [nb for nb in nbs if any(nb.name.startswith(k) or nb.stem == k for k in keys)]
    return [nb for nb in nbs if notebook_uses_widgets(nb)][:2]


def notebook_has_latex(path: Path) -> bool:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    for c in nb.get("cells", []):
        if c.get("cell_type") == "markdown":
            src = c.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            if re.search(r"\$[^$\s][^$]*\$", src):
                return True
    return False


def notebook_uses_widgets(path: Path) -> bool:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    src = "\n".join(
        "".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code"
    )
    return "ipywidgets" in src or "widgets." in src


def make_root_copy(dest: Path, extra_notebooks: list[Path] = ()) -> Path:
    """Copy the repository (notebooks/, data/, everything the notebooks may read) to dest.

    The fixture notebooks are copied to dest/fixtures/.  w2v_helpers is pip-installed, so the
    kernel imports it from anywhere; the copy of the package is harmless.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for entry in REPO_ROOT.iterdir():
        if entry.name.startswith(".") or entry.name in _TOP_LEVEL_SKIP:
            continue
        if _COPY_IGNORE(str(REPO_ROOT), [entry.name]):
            continue
        target = dest / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, ignore=_COPY_IGNORE, symlinks=True, dirs_exist_ok=True)
        elif entry.is_file():
            shutil.copy2(entry, target)
    (dest / "notebooks").mkdir(exist_ok=True)
    fx = dest / "fixtures"
    fx.mkdir(exist_ok=True)
    for nb in list(fixture_notebooks()) + list(extra_notebooks):
        shutil.copy2(nb, fx / nb.name)
    return dest


def rel_in_root(nb: Path) -> str:
    """Path of a notebook inside the root copy, with forward slashes."""
    nb = Path(nb).resolve()
    if nb.parent == FIXTURE_DIR:
        return f"fixtures/{nb.name}"
    return nb.relative_to(REPO_ROOT).as_posix()


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LAB_SETTINGS_OVERRIDES = {
    # attach every cell to the DOM so off-screen cells and widgets render
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # nothing to fetch: no network here, and no toast over the notebook
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    # the temp copy needs no saving; avoids "file changed on disk" dialogs
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}


def jupyter_env(base: Path) -> dict[str, str]:
    """Environment that keeps every Jupyter directory under base.

    JUPYTER_DATA_DIR only replaces the *user* data dir; {sys.prefix}/share/jupyter stays on the
    data path, so the labextensions installed in the venv (ipywidgets' jupyterlab-manager) and
    the python3 kernelspec are still found.  Likewise JUPYTER_CONFIG_DIR replaces ~/.jupyter
    only, so the server-extension enables in {sys.prefix}/etc/jupyter still apply.
    """
    env = dict(os.environ)
    for name in ("config", "data", "runtime"):
        (base / name).mkdir(parents=True, exist_ok=True)
    env["JUPYTER_CONFIG_DIR"] = str(base / "config")
    env["JUPYTER_DATA_DIR"] = str(base / "data")
    env["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
    env["IPYTHONDIR"] = str(base / "ipython")
    env["MPLCONFIGDIR"] = str(base / "mpl")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    env["PYTHONUNBUFFERED"] = "1"
    # the venv's bin first, so `python` in the kernelspec is the venv's python
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


@dataclass
class Server:
    kind: str
    proc: subprocess.Popen
    port: int
    token: str
    base: Path
    root: Path
    log_path: Path
    _log: object = field(repr=False, default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, path: str, method: str = "GET", timeout: float = 10):
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                path = "/api/status" if self.kind == "lab" else "/"
                req = urllib.request.Request(
                    f"{self.url}{path}" + ("" if self.kind == "lab" else f"?token={self.token}"),
                    headers={"Authorization": f"token {self.token}"},
                )
                with urllib.request.urlopen(req, timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError) as exc:
                last = exc
            time.sleep(0.25)
        raise TimeoutError(f"{self.kind} not ready after {timeout}s ({last}):\n{self.log_tail()}")

    def shutdown_kernels(self) -> None:
        """Shut down every running kernel (frees the 2 cores between notebooks)."""
        if self.kind != "lab":
            return
        with contextlib.suppress(Exception):
            for s in self.api("/api/sessions"):
                with contextlib.suppress(Exception):
                    self.api(f"/api/sessions/{s['id']}", method="DELETE")
            for k in self.api("/api/kernels"):
                with contextlib.suppress(Exception):
                    self.api(f"/api/kernels/{k['id']}", method="DELETE")

    def stop(self) -> None:
        # kernels run in sessions of their own (jupyter_client); shut them down through the
        # server first, the server's SIGTERM handler does the rest
        self.shutdown_kernels()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        # kernels started by the server live in the same process group; make sure they are gone
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self._log:
            self._log.close()


class _ExitedEarly(RuntimeError):
    pass


def _spawn(kind: str, make_cmd, env: dict, base: Path, root: Path, attempts: int = 3) -> Server:
    """Start a server on a free port; if it exits at once (the port was taken between choosing
    and binding it), try again on another port."""
    for attempt in range(1, attempts + 1):
        port, token = free_port(), secrets.token_hex(16)
        log_path = base / f"{kind}.log"
        log = open(log_path, "ab")  # noqa: SIM115 - closed in Server.stop
        proc = subprocess.Popen(
            make_cmd(port, token),
            cwd=str(root),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        server = Server(kind, proc, port, token, base, root, log_path, log)
        try:
            server.wait_ready()
            return server
        except RuntimeError as exc:
            server.stop()
            if proc.returncode is None or attempt == attempts:
                raise
            last = exc
        except BaseException:
            server.stop()
            raise
    raise _ExitedEarly(str(last))  # pragma: no cover - the loop returns or raises


def start_lab(base: Path, root: Path) -> Server:
    """JupyterLab on 127.0.0.1 with every config/data/runtime/settings dir under base."""
    env = jupyter_env(base)
    settings = base / "lab-app-settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(LAB_SETTINGS_OVERRIDES, indent=2))
    # news_url=None turns off the announcements fetch (not expressible on the command line)
    (base / "config" / "jupyter_server_config.json").write_text(json.dumps({"LabApp": {"news_url": None}}, indent=2))
    for d in ("lab-user-settings", "lab-workspaces"):
        (base / d).mkdir(exist_ok=True)

    def cmd(port: int, token: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.open_browser=False",
            "--ServerApp.disable_check_xsrf=False",
            f"--LabApp.app_settings_dir={settings}",
            f"--LabApp.user_settings_dir={base / 'lab-user-settings'}",
            f"--LabApp.workspaces_dir={base / 'lab-workspaces'}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
            "--LanguageServerManager.autodetect=False",
            "--MappingKernelManager.cull_idle_timeout=0",
        ]

    server = _spawn("lab", cmd, env, base, root)
    try:
        check_lab_settings(server)
    except BaseException:
        server.stop()
        raise
    return server


def check_lab_settings(server: Server) -> None:
    """The overrides are in force (windowing off: every cell, and so every widget, is in the DOM)."""
    for plugin, values in LAB_SETTINGS_OVERRIDES.items():
        schema = server.api(f"/lab/api/settings/{plugin}")["schema"]["properties"]
        for key, want in values.items():
            got = schema.get(key, {}).get("default")
            if got != want:
                raise RuntimeError(
                    f"JupyterLab setting {plugin}:{key} is {got!r}, not {want!r}: "
                    f"overrides.json in LabApp.app_settings_dir not applied"
                )


def start_voila(base: Path, root: Path) -> Server:
    """Voila serving root (all notebooks at /voila/render/<path>), sources stripped."""
    env = jupyter_env(base)

    def cmd(port: int, token: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "voila",
            str(root),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--strip_sources=True",
            "--show_tracebacks=True",
            f"--Voila.root_dir={root}",
            f"--ServerApp.root_dir={root}",
            f"--Voila.token={token}",
            f"--Voila.connection_dir_root={base / 'runtime'}",
        ]

    return _spawn("voila", cmd, env, base, root)


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------
PAGE_JS = (Path(__file__).resolve().parent / "w2v_page.js").read_text(encoding="utf-8")


class HarnessFailure(AssertionError):
    pass


# a page as the checks expect it: the size the figures were laid out for, 30 s per step
CONTEXT_ARGS = {"viewport": {"width": 1400, "height": 1000}, "device_scale_factor": 1}


def prepare_context(context) -> None:
    """Install the in-page helpers (``window.__w2vh``) and cut the context off the network."""
    context.add_init_script(PAGE_JS)
    context.set_default_timeout(30_000)
    # anything not on this machine fails at once (CDN fonts, badges, MathJax from a CDN)
    context.route(_EXTERNAL_URL, lambda route: route.abort("internetdisconnected"))


def record_console(page, log: list[str]) -> None:
    """Append the page's script errors and console errors to log."""
    page.on("pageerror", lambda exc: log.append(f"pageerror: {exc}"))
    page.on("console", lambda m: log.append(f"console.{m.type}: {m.text[:500]}") if m.type == "error" else None)


def wait_quiet(page, quiet_ms: int = 300, timeout_ms: int = 30_000, kernel: bool = True, strict: bool = True) -> bool:
    """Wait until the page has not changed for quiet_ms (and, in JupyterLab, the kernel is idle).

    With strict=False a page that never goes quiet (an animation) is not an error: returns False.
    """
    page.evaluate("() => window.__w2vh.watchQuiet()")
    cond = f"() => window.__w2vh.quietFor() > {quiet_ms}"
    if kernel:
        cond = (
            "() => { const k = window.__w2vKernel && window.__w2vKernel(); "
            f"return (!k || k === 'idle') && window.__w2vh.quietFor() > {quiet_ms}; }}"
        )
    try:
        page.wait_for_function(cond, timeout=timeout_ms, polling=50)
    except Exception as exc:
        if strict or "Timeout" not in f"{type(exc).__name__} {exc}":
            raise
        return False
    return True


# --------------------------------------------------------------------------------------------
# JupyterLab
# --------------------------------------------------------------------------------------------
_LAB_HOOKS = r"""
(path) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
  if (!panel) return false;
  window.__w2vPanel = panel;
  window.__w2vKernel = () => {
    const s = panel.sessionContext;
    if (!s || !s.session || !s.session.kernel) return 'none';
    return s.session.kernel.status;
  };
  if (!window.__w2vKernelErrors) {
    window.__w2vKernelErrors = [];
    panel.sessionContext.iopubMessage.connect((_, msg) => {
      const t = msg.header.msg_type;
      const c = msg.content || {};
      if (t === 'error') {
        const tb = (c.traceback || []).join('\n').replace(/\x1b\[[0-9;]*m/g, '');
        window.__w2vKernelErrors.push(`${c.ename}: ${c.evalue}\n${tb.slice(-2000)}`);
      } else if (t === 'stream' && c.name === 'stderr' && /Traceback \(most recent call last\)/.test(c.text)) {
        window.__w2vKernelErrors.push(c.text.slice(-2000));
      }
    });
  }
  return true;
}
"""

_LAB_CELLS = r"""
() => {
  const panel = window.__w2vPanel;
  const out = [];
  panel.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    const src = cell.model.sharedModel.getSource();
    if (!src.trim()) return;
    out.push({ index: i, count: cell.model.executionCount, state: cell.model.executionState || null,
               prompt: cell.promptNode ? cell.promptNode.textContent : null });
  });
  return out;
}
"""


def lab_open_notebook(page, server: Server, rel_path: str, workspace: str, timeout_ms: int = 90_000):
    url = f"{server.url}/lab/workspaces/{workspace}/tree/{rel_path}?token={server.token}"
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started !== undefined", timeout=timeout_ms)
    page.wait_for_function(
        "(p) => { const a = window.jupyterapp; if (!a || !a.shell) return false;"
        " return Array.from(a.shell.widgets('main')).some(w => w.context && w.context.path === p"
        " && w.isVisible); }",
        arg=rel_path,
        timeout=timeout_ms,
    )
    if not page.evaluate(_LAB_HOOKS, rel_path):
        raise HarnessFailure(f"notebook panel for {rel_path} not found")
    # the kernel must be up before restart-run-all; a notebook without kernelspec metadata
    # gets JupyterLab's "Select Kernel" dialog first: accept its default (python3)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        state = page.wait_for_function(
            "() => (window.__w2vPanel.sessionContext.isReady && window.__w2vKernel() === 'idle') ? 'idle'"
            " : (document.querySelector('.jp-Dialog .jp-mod-accept') ? 'dialog' : false)",
            timeout=max(1000, int((deadline - time.monotonic()) * 1000)),
            polling=100,
        ).json_value()
        if state == "idle":
            break
        page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
        page.wait_for_selector(".jp-Dialog", state="detached", timeout=10_000)


def lab_restart_run_all(page, timeout_ms: int = 300_000) -> tuple[float, bool]:
    """Restart Kernel and Run All Cells, confirm the dialog, wait until every cell ran.

    Returns (seconds, all_cells_succeeded).  Run All resolves to false when a cell raised; the
    cells after it are then never run, so only the kernel going idle is waited for.
    """
    t0 = time.monotonic()
    page.evaluate(
        """() => {
          window.__w2vRR = null;
          window.jupyterapp.shell.activateById(window.__w2vPanel.id);
          window.jupyterapp.commands.execute('notebook:restart-run-all').then(
            (r) => { window.__w2vRR = { ok: r === undefined ? null : !!r }; },
            (e) => { window.__w2vRR = { err: String(e) }; });
        }"""
    )
    # The confirmation dialog (unless "do not ask me again" was set)
    handle = page.wait_for_function(
        "() => window.__w2vRR !== null ? 'done' : (document.querySelector('.jp-Dialog .jp-mod-accept') ? 'dialog' : false)",
        timeout=30_000,
        polling=50,
    )
    if handle.json_value() == "dialog":
        page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
        page.wait_for_selector(".jp-Dialog", state="detached", timeout=10_000)
    page.wait_for_function("() => window.__w2vRR !== null", timeout=timeout_ms, polling=200)
    rr = page.evaluate("() => window.__w2vRR")
    if rr.get("err"):
        raise HarnessFailure(f"restart-run-all failed: {rr['err']}")
    ok = rr.get("ok") is not False
    # every non-empty code cell has an execution count and none is still [*]
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        cells = page.evaluate(_LAB_CELLS)
        pending = [c for c in cells if c["count"] is None or (c["prompt"] or "").strip().startswith("[*]")]
        busy = [c for c in cells if (c["prompt"] or "").strip().startswith("[*]")]
        idle = page.evaluate("() => window.__w2vKernel()") == "idle"
        if idle and (not pending if ok else not busy):
            break
        if time.monotonic() > deadline:
            raise HarnessFailure(f"cells did not finish within {timeout_ms} ms: {pending[:5]}")
        page.wait_for_timeout(200)
    return time.monotonic() - t0, ok


def lab_kernel_errors(page) -> list[str]:
    return page.evaluate("() => (window.__w2vKernelErrors || []).slice()")


# --------------------------------------------------------------------------------------------
# Voila
# --------------------------------------------------------------------------------------------
def voila_open_notebook(page, server: Server, rel_path: str, timeout_ms: int = 300_000) -> float:
    t0 = time.monotonic()
    page.goto(f"{server.url}/voila/render/{rel_path}?token={server.token}", wait_until="load", timeout=timeout_ms)
    # Voila's lab template streams the executed cells into a hidden #rendered_cells, then its
    # JS app starts, renders each <script type="application/vnd.voila.cell-output+json"> into an
    # output area (removing the script), typesets the LaTeX and removes the #loading spinner.
    page.wait_for_function(
        """() => {
          const rc = document.getElementById('rendered_cells');
          return !!(window.jupyterapp && rc && rc.style.display !== 'none'
            && !document.getElementById('loading')
            && !document.querySelector('script[type="application/vnd.voila.cell-output+json"]'));
        }""",
        timeout=timeout_ms,
        polling=100,
    )
    return time.monotonic() - t0


# --------------------------------------------------------------------------------------------
# Exercising the widgets
# --------------------------------------------------------------------------------------------
@dataclass
class ActionResult:
    notebook: str
    frontend: str
    control: str
    kind: str
    label: str
    cell: int
    action: str
    ok: bool
    figure_changed: bool | None = None
    where: str | None = None  # "cell", "page" (a figure elsewhere) or "cell-text" (no figure in the cell)
    latency_ms: float | None = None
    note: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def wait_widgets_rendered(page, timeout_ms: int = 60_000, kernel: bool = True) -> None:
    """Wait until every widget output has its view (or gives up after 15 s: a widget that was
    displayed and then closed leaves an empty output for good) and the page is quiet."""
    with contextlib.suppress(Exception):
        page.wait_for_function(
            "() => window.__w2vh.pendingWidgets() === 0", timeout=min(timeout_ms, 15_000), polling=100
        )
    wait_quiet(page, quiet_ms=400, timeout_ms=min(timeout_ms, 20_000), kernel=kernel, strict=False)


def _wait_figure_change(page, timeout_ms: int) -> dict | None:
    """Wait until a figure in the control's cell (or elsewhere in the page) changed; for a cell
    that shows no figure at all, a change of its output text counts instead."""
    try:
        page.wait_for_function(
            "() => { const s = window.__w2vh.status();"
            " return s && (s.scopeChanged || s.docChanged || s.textChanged); }",
            timeout=timeout_ms,
            polling="raf",
        )
    except Exception as exc:  # playwright TimeoutError
        if "Timeout" not in type(exc).__name__ and "Timeout" not in str(exc):
            raise
        return None
    # a figure changed in the page but maybe not (yet) in the control's own cell: give the cell
    # a moment to catch up before settling for "page"
    st = page.evaluate("() => window.__w2vh.status()")
    if not st["scopeChanged"] and st["scopeHasFigures"]:
        with contextlib.suppress(Exception):
            page.wait_for_function("() => window.__w2vh.status().scopeChanged", timeout=1000, polling="raf")
        st = page.evaluate("() => window.__w2vh.status()")
    return st


def exercise_widgets(
    page,
    notebook: str,
    frontend: str,
    kernel: bool = True,
    action_timeout_ms: int = 10_000,
    button_timeout_ms: int = 180_000,
    slider_presses: int = 1,
) -> list[ActionResult]:
    """Move every slider (keyboard), change every dropdown, press every button.

    After each action, a figure (img/svg/canvas) in the control's cell, or failing that in the
    page, must change; the time from the input event to that change is recorded.
    """
    results: list[ActionResult] = []
    controls = _order_controls(page.evaluate("() => window.__w2vh.listControls()"))
    for ctl in controls:
        cid, kind, label = ctl["id"], ctl["kind"], ctl["label"]
        base = dict(notebook=notebook, frontend=frontend, control=cid, kind=kind, label=label, cell=ctl["cell"])
        if ctl["skip"]:
            results.append(ActionResult(**base, action="skip", ok=True, note=SKIP_CLASS))
            continue
        if ctl["disabled"]:
            results.append(ActionResult(**base, action="skip", ok=True, note="disabled"))
            continue
        loc = page.locator(f'[data-w2v-ctl="{cid}"]')
        if loc.count() == 0:
            results.append(
                ActionResult(**base, action="skip", ok=True, note="control re-rendered by an earlier action")
            )
            continue
        if not page.evaluate(
            "(id) => { const e = window.__w2vh.byId(id); const r = e.getBoundingClientRect();"
            " return r.width > 0 || r.height > 0; }",
            cid,
        ):
            results.append(ActionResult(**base, action="skip", ok=True, note="not visible"))
            continue
        presses = slider_presses if kind == "slider" else 1
        for rep in range(presses):
            res = _one_action(page, loc, ctl, base, action_timeout_ms, button_timeout_ms, kernel, rep)
            results.append(res)
            if not res.ok:
                break
    return results


def _order_controls(controls: list[dict]) -> list[dict]:
    """In a ToggleButtons group the selected option is clicked last (clicking it first would
    change nothing); everything else keeps document order."""
    out: list[dict] = []
    deferred: dict[str, list[dict]] = {}
    for i, c in enumerate(controls):
        g = c.get("group")
        if c["kind"] == "toggle" and g is not None and c.get("pressed"):
            deferred.setdefault(g, []).append(c)
        else:
            out.append(c)
        nxt = controls[i + 1] if i + 1 < len(controls) else None
        if g is not None and g in deferred and (nxt is None or nxt.get("group") != g):
            out.extend(deferred.pop(g))
    for rest in deferred.values():
        out.extend(rest)
    return out


def _one_action(page, loc, ctl, base, action_timeout_ms, button_timeout_ms, kernel, rep):
    cid, kind = ctl["id"], ctl["kind"]
    loc.scroll_into_view_if_needed(timeout=10_000)
    wait_quiet(page, quiet_ms=150, timeout_ms=action_timeout_ms, kernel=kernel, strict=False)
    before = page.evaluate("(id) => window.__w2vh.sliderState(id)", cid) if kind == "slider" else None
    if kind == "slider":
        # alternate right/left so repeated presses leave the slider (and the state the next
        # controls are tried in) near the notebook's default; turn back at either end
        key = "ArrowRight" if rep % 2 == 0 else "ArrowLeft"
        try:
            if float(before["value"]) >= float(ctl["max"]):
                key = "ArrowLeft"
            elif float(before["value"]) <= float(ctl["min"]):
                key = "ArrowRight"
        except (TypeError, ValueError):
            pass
        if ctl.get("vertical"):
            key = {"ArrowRight": "ArrowUp", "ArrowLeft": "ArrowDown"}[key]
        loc.focus()
        action = f"press {key}"
    elif kind == "dropdown":
        cur = page.evaluate("(id) => window.__w2vh.byId(id).selectedIndex", cid)
        n = len(ctl["options"])
        if n < 2:
            return ActionResult(**base, action="skip", ok=True, note="dropdown has one option")
        new = (cur + 1) % n
        action = f"select {ctl['labels'][new]!r}"
    elif kind == "checkbox":
        action = "toggle checkbox"
    elif kind == "toggle" and ctl.get("group") is not None:
        if page.evaluate("(id) => window.__w2vh.isPressed(id)", cid):
            return ActionResult(**base, action="skip", ok=True, note="option already selected")
        action = "select option"
    else:
        action = "click"

    page.evaluate("(id) => window.__w2vh.arm(id)", cid)
    t_py = time.perf_counter()
    if kind == "slider":
        page.keyboard.press(key)
    elif kind == "dropdown":
        loc.select_option(index=new)
    else:
        loc.click()
    timeout = button_timeout_ms if kind == "button" else action_timeout_ms
    st = _wait_figure_change(page, timeout)
    py_ms = (time.perf_counter() - t_py) * 1000
    res = ActionResult(**base, action=action, ok=True)
    if kind == "slider":
        after = page.evaluate("(id) => window.__w2vh.sliderState(id)", cid)
        if after == before:
            res.ok = False
            res.note = f"slider did not move on {key} (value {before})"
    if st is None:
        res.figure_changed = False
        if not ctl["noFigure"]:
            res.ok = False
            res.note = (res.note + "; " if res.note else "") + f"no figure changed within {timeout} ms"
    else:
        res.figure_changed = bool(st["scopeChanged"] or st["docChanged"])
        if st["scopeChanged"]:
            res.where, ms = "cell", st["scopeMs"]
        elif st["docChanged"]:
            res.where, ms = "page", st["docMs"]
        else:  # a cell without figures whose text output changed
            res.where, ms = "cell-text", st["textMs"]
        res.latency_ms = round(ms, 1) if ms is not None else round(py_ms, 1)
        res.note = (res.note + "; " if res.note else "") + f"event={st['eventType']}"
    page.evaluate("() => window.__w2vh.disarm()")
    if res.ok:
        # let the action finish (other outputs, kernel idle) before the next one
        wait_quiet(page, quiet_ms=200, timeout_ms=button_timeout_ms, kernel=kernel, strict=False)
    return res


# --------------------------------------------------------------------------------------------
# One notebook, end to end (used by the tests and by bench/bench_browser_latency.py)
# --------------------------------------------------------------------------------------------
@dataclass
class NotebookReport:
    notebook: str
    frontend: str
    load_s: float = 0.0
    run_s: float = 0.0
    interact_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    results: list[ActionResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[ActionResult]:
        return [r for r in self.results if not r.ok]

    def summary(self) -> str:
        lines = [
            f"{self.frontend} {self.notebook}: load {self.load_s:.1f}s, run {self.run_s:.1f}s, "
            f"interact {self.interact_s:.1f}s, {len(self.results)} actions"
        ]
        lines += [f"  ERROR {e}" for e in self.errors]
        lines += [f"  PROBLEM {p}" for p in self.problems]
        for r in self.results:
            lat = f"{r.latency_ms:.0f} ms" if r.latency_ms is not None else "-"
            lines.append(
                f"  {'ok  ' if r.ok else 'FAIL'} {r.kind:8s} {r.label[:30]:30s} {r.action:24s} "
                f"{lat:>8s} {r.where or ''} {r.note}"
            )
        return "\n".join(lines)


def env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def check_notebook(
    page,
    server: Server,
    nb: Path,
    *,
    workspace: str = "w2v",
    slider_presses: int | None = None,
    console: list[str] | None = None,
    action_timeout_ms: int | None = None,
    button_timeout_ms: int | None = None,
) -> NotebookReport:
    """Open nb in the server's frontend, run it, check for errors, exercise every widget.

    Never raises for a problem in the notebook (those go into the report); raises only when the
    harness itself cannot go on (page did not load, timeouts).
    """
    frontend = server.kind
    rel = rel_in_root(nb)
    rep = NotebookReport(notebook=nb.name, frontend=frontend)
    presses = slider_presses if slider_presses is not None else env_int("W2V_SLIDER_PRESSES", 2)
    run_timeout = env_int("W2V_RUN_TIMEOUT_S", 300) * 1000
    is_lab = frontend == "lab"
    t0 = time.monotonic()
    if is_lab:
        lab_open_notebook(page, server, rel, workspace)
        rep.load_s = time.monotonic() - t0
        rep.run_s, ran_ok = lab_restart_run_all(page, timeout_ms=run_timeout)
        if not ran_ok:
            rep.errors.append("Run All stopped: a cell raised (see the traceback errors)")
    else:
        rep.run_s = voila_open_notebook(page, server, rel, timeout_ms=run_timeout)
        # strip_sources: no code is shown
        n_src = page.evaluate(
            "() => document.querySelectorAll('.jp-CodeCell .jp-InputArea, .jp-CodeCell .cm-editor').length"
        )
        if n_src:
            rep.problems.append(f"Voila shows {n_src} code input areas (strip_sources should hide them)")
    wait_widgets_rendered(page, timeout_ms=60_000, kernel=is_lab)
    rep.errors += page.evaluate("() => window.__w2vh.pageErrors()")
    if notebook_has_latex(nb):
        try:  # MathJax typesets asynchronously
            page.wait_for_function("() => window.__w2vh.mathCount() > 0", timeout=15_000, polling=100)
        except Exception:
            rep.problems.append("the markdown has LaTeX but none was typeset (MathJax did not run)")
        else:
            wait_quiet(page, quiet_ms=300, timeout_ms=10_000, kernel=is_lab, strict=False)
            raw = page.evaluate("() => window.__w2vh.rawTex()")
            rep.problems += [f"LaTeX left untypeset in markdown: ...{r}..." for r in raw[:10]]
    if is_lab:
        rep.errors += [f"kernel error: {e}" for e in lab_kernel_errors(page)]
    n_controls = len(page.evaluate("() => window.__w2vh.listControls()"))
    if n_controls == 0 and notebook_uses_widgets(nb) and not rep.errors:
        rep.problems.append("the notebook uses ipywidgets but no control rendered")
    t1 = time.monotonic()
    rep.results = exercise_widgets(
        page,
        nb.name,
        frontend,
        kernel=is_lab,
        slider_presses=presses,
        action_timeout_ms=action_timeout_ms or env_int("W2V_ACTION_TIMEOUT_MS", 10_000),
        button_timeout_ms=button_timeout_ms or env_int("W2V_BUTTON_TIMEOUT_MS", 180_000),
    )
    rep.interact_s = time.monotonic() - t1
    # errors raised by widget callbacks (Output widgets show them; JupyterLab's log console
    # gets the uncaptured ones, which the iopub hook records)
    after = page.evaluate("() => window.__w2vh.pageErrors()")
    if is_lab:
        after += [f"kernel error: {e}" for e in lab_kernel_errors(page)]
    new = [e for e in after if e not in rep.errors]
    if new:
        rep.errors += [f"after interaction: {e}" for e in new]
    if rep.errors:
        # so that the screenshot pytest-playwright takes of a failed test shows the first error
        with contextlib.suppress(Exception):
            page.evaluate("() => window.__w2vh.scrollToFirstError()")
    if console is not None:
        rep.console = list(console)
    return rep


def assert_clean(rep: NotebookReport) -> None:
    """Fail with the whole report when the notebook showed an error or a control did nothing."""
    console = "".join(f"\n  {c}" for c in rep.console)
    bad = rep.errors + rep.problems + [f"{r.kind} {r.label!r} ({r.action}): {r.note}" for r in rep.failures]
    assert not bad, rep.summary() + (f"\nbrowser console errors:{console}" if console else "")


def _quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def latency_table(records: list[dict], goal_median: float = 100.0, goal_p90: float = 150.0) -> str:
    """Markdown table of slider keydown -> figure latency, per frontend and notebook."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        if r.get("kind") == "slider" and r.get("latency_ms") is not None:
            groups.setdefault((r["frontend"], r["notebook"]), []).append(r)
    lines = [
        "| frontend | notebook | sliders | samples | median ms | p90 ms | max ms | goal (≤100 / ≤150) |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for (fe, nb), rs in sorted(groups.items()):
        xs = [r["latency_ms"] for r in rs]
        med, p90 = _quantile(xs, 0.5), _quantile(xs, 0.9)
        ok = "yes" if med <= goal_median and p90 <= goal_p90 else "no"
        n_sliders = len({r["control"] for r in rs})
        lines.append(f"| {fe} | {nb} | {n_sliders} | {len(xs)} | {med:.0f} | {p90:.0f} | {max(xs):.0f} | {ok} |")
    return "\n".join(lines)
