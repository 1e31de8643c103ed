"""JupyterLab in a real browser: a JupyterLab server on 127.0.0.1 (a free port, a token) and headless chromium
driven by selenium, with the few page actions the browser tests need (open a notebook, type into a cell's
editor, run cells, read the output areas, screenshots).

Everything started here is stopped by `LabServer.stop` and `Browser.quit`, which also check that none of the
processes they started (server, kernels, chromedriver, chromium) is left running.
"""
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid

INSTALL = "make browser"   # installs chromium and chromium-driver (apt-get, as root) and selenium
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = ("chromedriver",)


def find_browser():
    """(chromium, chromedriver, selenium's version) or a reason why the browser tests cannot run."""
    chromium = next((shutil.which(name) for name in CHROMIUM if shutil.which(name)), None)
    driver = next((shutil.which(name) for name in DRIVER if shutil.which(name)), None)
    try:
        import selenium
    except ImportError:
        selenium = None
    missing = [name for name, found in (("chromium", chromium), ("chromedriver", driver), ("selenium", selenium))
               if not found]
    if missing:
        return None, f"no {', '.join(missing)} here: `{INSTALL}` installs the browser tests' tools"
    return (chromium, driver, selenium.__version__), None


# ----------------------------------------------------------------------------------------- processes

def _children():
    """{pid: parent pid} of every process now."""
    table = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            table[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    return table


def descendants(pid):
    """The pids of every process below `pid` (kernels start sessions of their own, but stay its children)."""
    table, found, frontier = _children(), set(), {pid}
    while frontier:
        frontier = {child for child, parent in table.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids):
    out = set()
    for pid in pids:
        try:
            state = pathlib.Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def _kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """`jupyter lab` on 127.0.0.1:<free port> with a random token, serving `root` (its working directory).
    `env` is the server's environment, which its kernels inherit."""

    def __init__(self, jupyter, root, env, log_path):
        self.root, self.port, self.token = pathlib.Path(root), free_port(), uuid.uuid4().hex
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = pathlib.Path(log_path)
        self._log = open(self.log_path, "w")
        command = [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                   f"--IdentityProvider.token={self.token}", "--ServerApp.port_retries=0",
                   "--ServerApp.open_browser=False", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
                   "jupyterlab.NeverCheckForUpdate", f"--ServerApp.root_dir={self.root}"]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.started = {self.process.pid}
        self._wait_until_up(120)

    def api(self, path, method="GET"):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def _wait_until_up(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            try:
                self.api("/api/status")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"jupyter lab did not answer in {timeout} s:\n{self.log()[-3000:]}")

    def log(self):
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def lab_url(self, path):
        return f"{self.url}/lab/tree/{path}?token={self.token}"

    def remember_children(self):
        """Note the server's processes now (kernels), so that `stop` can check that each of them ended."""
        if self.process.poll() is None:
            self.started |= descendants(self.process.pid)

    def stop(self):
        """Shut the server down (it shuts its kernels down), kill whatever is left; returns the pids that
        were still running after that (none, or the test fails)."""
        self.remember_children()
        if self.process.poll() is None:
            try:
                self.api("/api/shutdown", method="POST")
            except OSError:
                pass
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                pass
        _kill(alive(self.started))
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()
        time.sleep(0.2)
        return alive(self.started)


# ------------------------------------------------------------------------------------------- browser

class Browser:
    """Headless chromium through selenium's chromedriver. `shots` is the folder of its screenshots."""

    def __init__(self, tools, shots):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        chromium, driver, _ = tools
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1400,1000", "--no-first-run", "--disable-extensions",
                         "--disable-background-networking", "--disable-default-apps"):
            options.add_argument(argument)
        self.service = Service(executable_path=driver)
        self.driver = webdriver.Chrome(service=self.service, options=options)
        self.driver.set_page_load_timeout(120)
        self.started = {self.service.process.pid} | descendants(self.service.process.pid)
        self.shots = pathlib.Path(shots)
        self.shots.mkdir(parents=True, exist_ok=True)
        self.taken = []

    def shot(self, name):
        path = self.shots / f"{len(self.taken) + 1:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        self.driver.save_screenshot(str(path))
        self.taken.append(path)
        return path

    def quit(self):
        self.started |= descendants(self.service.process.pid)
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - the browser may already be gone; what is left is killed below
            pass
        time.sleep(0.3)
        _kill(alive(self.started))
        time.sleep(0.2)
        return alive(self.started)


# ------------------------------------------------------------------------------------ notebook pages

# JupyterLab's settings for the test's server (a settings folder of its own; the user's are not touched): no
# news pop-up over the page, and every cell in the page (JupyterLab otherwise adds far-away cells only when
# scrolled to, so a test could not find them; what a cell shows is the same).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false", '
                                                                        '"checkForUpdates": false}',
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
}


def lab_environment(base, folder):
    """`base` with JupyterLab's settings and workspaces in `folder` (LAB_SETTINGS)."""
    settings = pathlib.Path(folder) / "settings"
    for name, text in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(text)
    (pathlib.Path(folder) / "workspaces").mkdir(parents=True, exist_ok=True)
    return dict(base, JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(pathlib.Path(folder) / "workspaces"))


_CELLS = "return [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')]"
_SOURCE = ("return [...arguments[0].querySelectorAll('.jp-InputArea .cm-line')].map(l => l.textContent).join('\\n')")
_OUTPUTS = """return [...arguments[0].querySelectorAll('.jp-OutputArea-output')].map(o => ({
    mime: o.getAttribute('data-mime-type') || '', text: o.textContent,
    images: [...o.querySelectorAll('img')].map(i => [i.naturalWidth, i.naturalHeight]),
    progress: [...o.querySelectorAll('progress, .widget-hprogress .progress-bar, .widget-vprogress .progress-bar, [role=progressbar]')].map(
        p => p.getAttribute('aria-valuenow') || p.value || p.style.width || ''),
    clipped: o.scrollWidth > o.clientWidth + 1 || o.scrollHeight > o.clientHeight + 1 }))"""


class CellTimeout(AssertionError):
    pass


class Notebook:
    """The open notebook of a Browser: its cells found by their source, run, typed into and read."""

    def __init__(self, browser, server, path, timeout=120):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        self.browser, self.driver, self.path = browser, browser.driver, path
        self.driver.get(server.lab_url(path))
        WebDriverWait(self.driver, timeout).until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, ".jp-NotebookPanel .jp-Notebook .jp-Cell .cm-content")))
        self.kernel_dialogs = 0
        self.wait_for(self.kernel_ready, timeout, "the kernel did not start")
        if self.kernel_dialogs:
            print(f"{path}: JupyterLab asked to select a kernel ({self.kernel_dialogs}x); its Select was clicked")
        self.n_cells = self.wait_for(lambda: len(self.cells()) if len(self.cells()) > 1 else None, 30, "no cells")

    def wait_for(self, condition, timeout, what, poll=0.25):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(poll)
        raise CellTimeout(f"{what} within {timeout} s")

    def kernel_ready(self):
        """True once the notebook has its kernel, idle. Before that the page says "No Kernel" with an idle
        indicator. JupyterLab asks "Select Kernel" when the server listed its kernels too late for it to pick
        the notebook's (a loaded machine): the dialog's Select, which offers the notebook's own kernel, is
        clicked, as a student would (counted in `kernel_dialogs`, with a screenshot)."""
        state = self.driver.execute_script(
            "const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)'); "
            "const k = p && p.querySelector('.jp-KernelName'); "
            "const d = [...document.querySelectorAll('.jp-Dialog')].find(d => /Select Kernel/.test(d.textContent)); "
            "return [k ? k.textContent.trim() : '', !!d];")
        if state[1]:
            self.browser.shot("select-kernel-dialog")
            self.driver.execute_script(
                "const d = [...document.querySelectorAll('.jp-Dialog')].find(d => /Select Kernel/.test(d.textContent)); "
                "d.querySelector('.jp-mod-accept').click();")
            self.kernel_dialogs += 1
            return False
        return state[0] not in ("", "No Kernel") and self.kernel_status() == "idle"

    def kernel_status(self):
        return self.driver.execute_script(
            "const e = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) "
            ".jp-Notebook-ExecutionIndicator'); return e && e.getAttribute('data-status');")

    def cells(self):
        return self.driver.execute_script(_CELLS)

    def source(self, cell):
        return self.driver.execute_script(_SOURCE, cell)

    def index(self, starts):
        """The index of the first code cell whose source starts with `starts`."""
        for i, cell in enumerate(self.cells()):
            if "jp-CodeCell" in cell.get_attribute("class") and self.source(cell).startswith(starts):
                return i
        raise AssertionError(f"no cell starts with {starts!r} in {self.path}")

    def prompt(self, i):
        return self.driver.execute_script(
            "const p = arguments[0].querySelector('.jp-InputPrompt'); return p ? p.textContent.trim() : '';",
            self.cells()[i])

    def outputs(self, i):
        return self.driver.execute_script(_OUTPUTS, self.cells()[i])

    def text(self, i):
        return "\n".join(o["text"] for o in self.outputs(i))

    def scroll_to(self, i, block="start"):
        self.driver.execute_script(f"arguments[0].scrollIntoView({{block: '{block}'}});", self.cells()[i])
        time.sleep(0.2)

    def select(self, i):
        """Select cell i in command mode (a click on its prompt, as a person does)."""
        self.scroll_to(i, "center")
        self.cells()[i].find_element("css selector", ".jp-InputPrompt").click()
        time.sleep(0.1)

    def run(self, i, timeout=120, watch=None):
        """Run cell i (Shift+Enter) and wait for it to finish; `watch(outputs)` is called while it runs.
        Returns its outputs."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        before = self.prompt(i)
        self.select(i)
        ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
        self.wait_for(lambda: self.prompt(i) != before, 20, f"cell {i} did not start")

        def finished():
            if watch:
                watch(self.outputs(i))
            return re.fullmatch(r"\[\d+\]:", self.prompt(i)) and self.kernel_status() == "idle"

        self.wait_for(finished, timeout, f"cell {i} of {self.path} did not finish", poll=0.2)
        return self.outputs(i)

    def type_into(self, i, replace, text):
        """Type `text` into cell i's editor as a person does, in place of the lines from the one that starts
        (after its indentation) with replace[0] to the one that starts with replace[1]: click in the editor,
        go to the first line, select to the end of the last, then type key by key (CodeMirror indents each
        new line itself: the typed line's own indentation replaces it). Returns the editor's text."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        lines = self.source(self.cells()[i]).split("\n")
        first = next(n for n, line in enumerate(lines) if line.strip().startswith(replace[0]))
        last = next(n for n, line in enumerate(lines) if n >= first and line.strip().startswith(replace[1]))
        self.scroll_to(i, "center")
        editor = self.cells()[i].find_element("css selector", ".cm-content")
        editor.click()
        keys = ActionChains(self.driver)
        keys.key_down(Keys.CONTROL).send_keys(Keys.HOME).key_up(Keys.CONTROL)
        for _ in range(first):
            keys.send_keys(Keys.DOWN)
        keys.send_keys(Keys.END).send_keys(Keys.HOME)  # the first line's indentation stays
        for _ in range(last - first):
            keys.key_down(Keys.SHIFT).send_keys(Keys.DOWN).key_up(Keys.SHIFT)
        keys.key_down(Keys.SHIFT).send_keys(Keys.END).key_up(Keys.SHIFT)
        keys.perform()
        for n, line in enumerate(text.split("\n")):
            keys = ActionChains(self.driver)
            if n:
                keys.send_keys(Keys.ENTER)
                keys.key_down(Keys.SHIFT).send_keys(Keys.HOME).key_up(Keys.SHIFT)  # CodeMirror's indentation
            keys.send_keys(line if n else line.lstrip())
            keys.perform()
        ActionChains(self.driver).send_keys(Keys.ESCAPE).perform()
        return self.source(self.cells()[i])

    def restart_and_run_all(self):
        """Kernel menu > "Restart Kernel and Run All Cells…", then the dialog's Restart."""
        from selenium.webdriver.common.by import By

        menu = next(m for m in self.driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item")
                    if m.text.strip() == "Kernel")
        menu.click()
        item = self.wait_for(lambda: self.driver.find_elements(
            By.CSS_SELECTOR, ".lm-Menu-item[data-command='runmenu:restart-and-run-all']"), 10, "no Kernel menu item")
        item[0].click()
        accept = self.wait_for(lambda: self.driver.find_elements(By.CSS_SELECTOR, ".jp-Dialog .jp-mod-accept"), 10,
                               "no restart dialog")
        self.browser.shot("restart-dialog")
        accept[0].click()

    def prompts(self):
        """Each cell's prompt ('[3]:', '[*]:', '[ ]:'; '' for a markdown cell), in one call."""
        return self.driver.execute_script(
            _CELLS + ".map(c => { const p = c.querySelector('.jp-CodeCell .jp-InputPrompt'); "
                     "return p ? p.textContent.trim() : ''; })")

    def wait_all_run(self, cell_seconds, total_seconds, stopped_seconds=5, first_cell_seconds=None):
        """Wait until every code cell has run (a number in its prompt) and the kernel is idle; fails when one
        cell stays running longer than `cell_seconds` (it hangs; the first code cell `first_cell_seconds`,
        default the same: after a restart, its time includes the kernel's start and its imports, which on
        a machine busy with other work take longer than any cell of the course), when the run stops before the last cell
        (the kernel idle, nothing running, cells left unrun for `stopped_seconds`: Run All ended at a cell
        that raised), or when the whole run takes `total_seconds`. Returns {cell: seconds it was seen
        running}."""
        start, running, seen, idle_since = time.monotonic(), None, {}, None
        while time.monotonic() - start < total_seconds:
            prompts = self.prompts()
            busy = [i for i, p in enumerate(prompts) if p == "[*]:"]
            now = time.monotonic()
            if busy:
                if running is None or running[0] != busy[0]:
                    running = (busy[0], now)
                seen[busy[0]] = now - running[1]
                first = next((i for i, p in enumerate(prompts) if p), None)
                limit = first_cell_seconds if busy[0] == first and first_cell_seconds else cell_seconds
                if now - running[1] > limit:
                    raise CellTimeout(f"cell {busy[0]} of {self.path} ran past {limit} s:\n"
                                      f"{self.text(busy[0])[-2000:]}")
            elif self.kernel_status() == "idle":
                if all(p == "" or re.fullmatch(r"\[\d+\]:", p) for p in prompts):
                    return seen
                ran = [i for i, p in enumerate(prompts) if re.fullmatch(r"\[\d+\]:", p)]
                idle_since = (idle_since or now) if ran else None  # before the restart, nothing has run
                if idle_since is not None and now - idle_since > stopped_seconds:
                    last = max(ran)
                    raise CellTimeout(f"{self.path}: Run All stopped after cell {last}, {prompts.count('[ ]:')} "
                                      f"cells not run; cell {last} shows:\n"
                                      f"{self.text(last)[-2000:]}")
                time.sleep(0.3)
                continue
            idle_since = None
            time.sleep(0.3)
        raise CellTimeout(f"{self.path}: not every cell ran within {total_seconds} s; prompts: {self.prompts()}")
