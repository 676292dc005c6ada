//! Running the `hcl` binary hermetically: a fresh temporary directory for the
//! log, the config and HOME; an environment cleared of everything but test
//! keys; and every provider's base URL pointed at a fake gateway.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

use super::{FakeGateway, HANG_GUARD};

/// Obviously fake keys, one per variable. Tests grep the log for each.
pub const HELICONE_KEY: &str = "sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC";
pub const TEST_KEYS: &[(&str, &str)] = &[
    ("HELICONE_API_KEY", HELICONE_KEY),
    ("OPENAI_API_KEY", "test-openai-KEY-0001"),
    ("AZURE_OPENAI_API_KEY", "test-azure-KEY-0002"),
    ("ANTHROPIC_API_KEY", "test-anthropic-KEY-0003"),
    ("GEMINI_API_KEY", "test-gemini-KEY-0004"),
    ("VERTEX_ACCESS_TOKEN", "test-vertex-TOKEN-0005"),
    ("GROQ_API_KEY", "test-groq-KEY-0006"),
    ("TOGETHER_API_KEY", "test-together-KEY-0007"),
    ("OPENROUTER_API_KEY", "test-openrouter-KEY-0008"),
    ("MISTRAL_API_KEY", "test-mistral-KEY-0009"),
    ("FIREWORKS_API_KEY", "test-fireworks-KEY-0010"),
    ("PERPLEXITY_API_KEY", "test-perplexity-KEY-0011"),
    ("DEEPSEEK_API_KEY", "test-deepseek-KEY-0012"),
    ("XAI_API_KEY", "test-xai-KEY-0013"),
    ("DEEPINFRA_API_KEY", "test-deepinfra-KEY-0014"),
    ("CEREBRAS_API_KEY", "test-cerebras-KEY-0015"),
    ("HCL_GATEWAY_API_KEY", "test-gateway-KEY-0016"),
    ("AWS_ACCESS_KEY_ID", "AKIATESTACCESS0000017"),
    ("AWS_SECRET_ACCESS_KEY", "test-aws-SECRET-0018/abc+def"),
];

/// A session token for the tests that give one (temporary AWS keys).
pub const AWS_SESSION_TOKEN: &str = "test-aws-SESSION-TOKEN-0019";

pub const PROVIDER_NAMES: &[&str] = &[
    "openai",
    "azure",
    "anthropic",
    "gemini",
    "vertex",
    "groq",
    "together",
    "openrouter",
    "mistral",
    "fireworks",
    "perplexity",
    "deepseek",
    "xai",
    "deepinfra",
    "cerebras",
    "gateway",
    "ai-gateway",
    "bedrock",
];

pub fn key_of(var: &str) -> &'static str {
    TEST_KEYS
        .iter()
        .find(|(k, _)| *k == var)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no test key for {var}"))
}

/// A hermetic hcl environment.
pub struct Hcl {
    pub dir: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

impl Default for Hcl {
    fn default() -> Self {
        Self::new()
    }
}

impl Hcl {
    /// Test keys set, no gateway: for dry runs and validation.
    pub fn new() -> Hcl {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        let mut envs: Vec<(String, String)> = vec![
            ("HOME".into(), d.clone()),
            ("XDG_DATA_HOME".into(), format!("{d}/data")),
            ("XDG_CONFIG_HOME".into(), format!("{d}/config")),
            ("HCL_LOG".into(), format!("{d}/requests.jsonl")),
            ("HCL_CONFIG".into(), format!("{d}/config.toml")),
            ("HCL_NO_KEYRING".into(), "1".into()),
            ("NO_COLOR".into(), "1".into()),
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            (
                "AZURE_OPENAI_ENDPOINT".into(),
                "https://hcltest.openai.azure.com".into(),
            ),
            ("VERTEX_PROJECT".into(), "hcl-test".into()),
            ("VERTEX_LOCATION".into(), "us-central1".into()),
            ("AWS_REGION".into(), "us-east-1".into()),
        ];
        for (k, v) in TEST_KEYS {
            envs.push(((*k).into(), (*v).into()));
        }
        Hcl { dir, envs }
    }

    /// Every provider's Helicone base pointed at the fake gateway. The
    /// `gateway` and `ai-gateway` rows get the fake's mode prefixes.
    pub fn with_gateway(gw: &FakeGateway) -> Hcl {
        let mut h = Hcl::new();
        for name in PROVIDER_NAMES {
            let var = format!(
                "HCL_BASE_URL_{}",
                name.to_ascii_uppercase().replace('-', "_")
            );
            let url = match *name {
                "gateway" => format!("{}/gateway", gw.url()),
                "ai-gateway" => format!("{}/ai-gateway", gw.url()),
                _ => gw.url(),
            };
            h = h.env(&var, &url);
        }
        h
    }

    pub fn env(mut self, k: &str, v: &str) -> Hcl {
        self.envs.retain(|(n, _)| n != k);
        self.envs.push((k.into(), v.into()));
        self
    }

    pub fn env_remove(mut self, k: &str) -> Hcl {
        self.envs.retain(|(n, _)| n != k);
        self
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::cargo_bin("hcl").unwrap();
        c.env_clear();
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        c.timeout(std::time::Duration::from_secs(60));
        c
    }

    /// Start `hcl ARGS` in the background, stdin empty, stdout and stderr
    /// captured: for tests that act while it runs (read its first output,
    /// interrupt it, close its stdout).
    pub fn spawn(&self, args: &[&str]) -> Running {
        let child = self
            .std_cmd()
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Running::new(child)
    }

    /// A `std::process::Command` with the same environment (for signals and pipes).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("hcl"));
        c.env_clear();
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        c
    }

    /// `bash -e -c SCRIPT` in `dir` with the same environment and the hcl
    /// under test first on `PATH`: for README recipes run as written.
    pub fn bash(&self, script: &str, dir: &std::path::Path) -> std::process::Command {
        let bin = assert_cmd::cargo::cargo_bin("hcl");
        let bin_dir = bin.parent().unwrap().display().to_string();
        let mut c = std::process::Command::new("bash");
        c.env_clear();
        for (k, v) in &self.envs {
            c.env(k, v);
        }
        let path = std::env::var("PATH").unwrap_or_default();
        c.env("PATH", format!("{bin_dir}:{path}"));
        c.args(["-e", "-o", "pipefail", "-c", script])
            .current_dir(dir);
        c
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("requests.jsonl")
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    pub fn write_config(&self, toml: &str) {
        std::fs::write(self.config_path(), toml).unwrap();
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Every log record, parsed.
    pub fn records(&self) -> Vec<Value> {
        self.log_text()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The request bodies of every record, byte for byte as logged.
    pub fn raw_bodies(&self) -> Vec<String> {
        #[derive(serde::Deserialize)]
        struct Rec {
            request: Req,
        }
        #[derive(serde::Deserialize)]
        struct Req {
            body: Box<serde_json::value::RawValue>,
        }
        self.log_text()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<Rec>(l)
                    .unwrap()
                    .request
                    .body
                    .get()
                    .to_string()
            })
            .collect()
    }

    pub fn last_record(&self) -> Value {
        self.records().pop().expect("the log has no record")
    }

    /// Assert that no test key value appears in the log file.
    pub fn assert_log_has_no_keys(&self) {
        let text = self.log_text();
        for (var, key) in TEST_KEYS {
            assert!(!text.contains(key), "the log contains the value of {var}");
        }
        assert!(
            !text.contains(AWS_SESSION_TOKEN),
            "the log contains the AWS session token"
        );
    }
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Assert that hcl wrote `needle` to stderr; on failure, show all of stderr.
#[track_caller]
pub fn assert_stderr_has(out: &Output, needle: &str) {
    let err = stderr(out);
    assert!(
        err.contains(needle),
        "stderr should contain {needle:?}; the whole stderr:\n{err}"
    );
}

/// Assert that hcl did not write `needle` to stderr; on failure, show all of
/// stderr.
#[track_caller]
pub fn assert_stderr_lacks(out: &Output, needle: &str) {
    let err = stderr(out);
    assert!(
        !err.contains(needle),
        "stderr should not contain {needle:?}; the whole stderr:\n{err}"
    );
}

/// A running hcl started by [`Hcl::spawn`]. A watchdog kills it after
/// [`HANG_GUARD`], so a hung hcl fails the test instead of stalling the suite.
pub struct Running {
    child: Arc<Mutex<Child>>,
    pid: u32,
    stdout: Option<ChildStdout>,
    /// Everything read from stdout so far.
    seen: Vec<u8>,
    stderr: Option<JoinHandle<Vec<u8>>>,
    watchdog: Option<(mpsc::Sender<()>, JoinHandle<bool>)>,
}

impl Running {
    fn new(mut child: Child) -> Running {
        let pid = child.id();
        let stdout = child.stdout.take();
        let mut err = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = err.read_to_end(&mut buf);
            buf
        });
        let child = Arc::new(Mutex::new(child));
        let (done, finished) = mpsc::channel::<()>();
        let watched = child.clone();
        let watchdog = std::thread::spawn(move || {
            if finished.recv_timeout(HANG_GUARD) == Err(mpsc::RecvTimeoutError::Timeout) {
                let mut c = watched.lock().unwrap_or_else(|e| e.into_inner());
                if c.try_wait().ok().flatten().is_none() {
                    let _ = c.kill();
                    return true;
                }
            }
            false
        });
        Running {
            child,
            pid,
            stdout,
            seen: Vec::new(),
            stderr: Some(stderr),
            watchdog: Some((done, watchdog)),
        }
    }

    pub fn id(&self) -> u32 {
        self.pid
    }

    /// Whether hcl has not exited yet.
    pub fn is_running(&self) -> bool {
        let mut c = self.child.lock().unwrap_or_else(|e| e.into_inner());
        c.try_wait().unwrap().is_none()
    }

    /// Read stdout until it contains `needle`; return all of stdout so far.
    pub fn wait_for_stdout(&mut self, needle: &str) -> String {
        self.read_until(needle, |text| text.contains(needle))
    }

    /// Read stdout until it holds `n` whole lines; return them.
    pub fn wait_for_stdout_lines(&mut self, n: usize) -> Vec<String> {
        let text = self.read_until(&format!("{n} lines"), |text| {
            text.matches('\n').count() >= n
        });
        text.split_inclusive('\n')
            .take(n)
            .map(str::to_string)
            .collect()
    }

    fn read_until(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let stdout = self.stdout.as_mut().expect("stdout was closed by the test");
        let mut buf = [0u8; 4096];
        loop {
            let text = String::from_utf8_lossy(&self.seen).into_owned();
            if done(&text) {
                return text;
            }
            let n = stdout.read(&mut buf).unwrap();
            if n == 0 {
                panic!(
                    "hcl closed stdout (it exited, or the {} s hang guard stopped it) before printing {what:?}; stdout so far: {text:?}",
                    HANG_GUARD.as_secs()
                );
            }
            self.seen.extend_from_slice(&buf[..n]);
        }
    }

    /// Close hcl's stdout, like `hcl ... | head -c 3` does.
    pub fn close_stdout(&mut self) {
        drop(self.stdout.take());
    }

    /// Send SIGKILL, as `kill -9` does: hcl gets no chance to finish anything.
    pub fn kill9(&self) {
        let mut c = self.child.lock().unwrap_or_else(|e| e.into_inner());
        c.kill().unwrap();
    }

    /// Send SIGINT, as Ctrl-C does.
    #[cfg(unix)]
    pub fn interrupt(&self) {
        let sent = std::process::Command::new("kill")
            .args(["-INT", &self.pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -INT {} failed", self.pid);
    }

    /// Wait for hcl to exit and collect its output: all of stdout (including
    /// what the `wait_for_*` calls returned) and all of stderr.
    pub fn finish(mut self) -> Output {
        let mut rest = Vec::new();
        if let Some(mut out) = self.stdout.take() {
            let _ = out.read_to_end(&mut rest);
        }
        let status = loop {
            if let Some(status) = self
                .child
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .try_wait()
                .unwrap()
            {
                break status;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let (done, watchdog) = self.watchdog.take().unwrap();
        let _ = done.send(());
        let killed = watchdog.join().unwrap();
        let stderr = self.stderr.take().unwrap().join().unwrap();
        assert!(
            !killed,
            "hang guard: hcl was still running after {} s and was killed; stderr:\n{}",
            HANG_GUARD.as_secs(),
            String::from_utf8_lossy(&stderr)
        );
        let mut stdout = std::mem::take(&mut self.seen);
        stdout.extend(rest);
        Output {
            status,
            stdout,
            stderr,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A test that panicked before `finish` leaves no hcl behind.
        if self.watchdog.is_some() {
            let mut c = self.child.lock().unwrap_or_else(|e| e.into_inner());
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
