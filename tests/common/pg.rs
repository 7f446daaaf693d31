//! A throwaway PostgreSQL cluster for the shared library's tests: `initdb` in a temporary folder, `pg_ctl start` on a
//! free port (TCP on 127.0.0.1, password authentication; the socket in the folder), stopped when the [`Cluster`] is
//! dropped. `initdb` refuses to run as root: as root, the server runs as the `postgres` user when there is one (Debian's
//! package makes it), else as `claimdesk-ci`, created here.
//!
//! When the server's programs are not installed, [`Cluster::start`] says SKIPPED and returns `None`, unless
//! `CLAIMDESK_REQUIRE_POSTGRES=1` (as `.ci/run` sets), which makes that a failure.

#![allow(dead_code)] // each test uses some of these

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The superuser of the cluster and its password (TCP connections need it).
pub const ADMIN: &str = "claimdesk_admin";
pub const ADMIN_PASSWORD: &str = "Adm1n-pw-7f3c9e";

/// A running cluster; dropping it stops the server (immediate mode) and removes its folder.
pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    /// The unprivileged user the server runs as, when the tests run as root.
    run_as: Option<String>,
    pub port: u16,
}

/// The folder of `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/*/bin`, else one on `PATH`.
fn find_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    if let Some((_, bin)) = found.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(PathBuf::from)
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("its address").port()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn user_exists(name: &str) -> bool {
    Command::new("id").arg("-u").arg(name).output().is_ok_and(|o| o.status.success())
}

impl Cluster {
    /// Start a cluster, or `None` (printed as SKIPPED by `test`) when PostgreSQL is not installed.
    pub fn start(test: &str) -> Option<Self> {
        let Some(bin) = find_bin() else {
            assert!(
                std::env::var("CLAIMDESK_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "CLAIMDESK_REQUIRE_POSTGRES=1 but PostgreSQL's initdb and pg_ctl are not installed"
            );
            eprintln!("SKIPPED {test}: PostgreSQL is not installed (initdb, pg_ctl)");
            return None;
        };
        let run_as = is_root().then(|| {
            let user = if user_exists("postgres") { "postgres" } else { "claimdesk-ci" };
            if !user_exists(user) {
                let made = Command::new("useradd").args(["--system", "--no-create-home", user]).output();
                assert!(made.is_ok_and(|o| o.status.success()) || user_exists(user), "cannot create the user {user}");
            }
            user.to_owned()
        });
        let dir = tempfile::Builder::new().prefix("claimdesk-pg").tempdir().expect("a temporary folder");
        let cluster = Cluster { bin, dir, run_as, port: free_port() };
        if let Some(user) = &cluster.run_as {
            let chown = Command::new("chown").args(["-R", user]).arg(cluster.dir.path()).output().expect("chown runs");
            assert!(chown.status.success(), "chown: {}", String::from_utf8_lossy(&chown.stderr));
        }
        let pwfile = cluster.dir.path().join("pw");
        std::fs::write(&pwfile, ADMIN_PASSWORD).expect("the password file");
        if let Some(user) = &cluster.run_as {
            Command::new("chown").arg(user).arg(&pwfile).output().expect("chown runs");
        }
        let data = cluster.data();
        let out = cluster.run(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                ADMIN,
                "--pwfile",
                path(&pwfile),
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        std::fs::remove_file(&pwfile).ok();
        // A free port can be taken by another test's server between asking and binding: then another port.
        let mut cluster = cluster;
        for attempt in 1.. {
            match cluster.try_start() {
                Ok(()) => break,
                Err(e) if attempt < 5 => {
                    eprintln!("pg_ctl start on port {} failed, trying another port: {e}", cluster.port);
                    cluster.port = free_port();
                }
                Err(e) => panic!("pg_ctl start failed: {e}"),
            }
        }
        Some(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Run one of the server's programs, as the unprivileged user when the tests run as root.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        self.run_program(&self.bin.join(program), args)
    }

    fn run_program(&self, exe: &Path, args: &[&str]) -> Output {
        let program = exe.display();
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        };
        // In the cluster's folder: the server's user may not be allowed into the working directory of the tests.
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("PGPASSWORD")
            .output()
            .unwrap_or_else(|e| panic!("{program} cannot run: {e}"))
    }

    /// Start the server (again, after [`Cluster::stop`]) and wait until it accepts connections.
    pub fn pg_ctl_start(&self) {
        if let Err(e) = self.try_start() {
            panic!("pg_ctl start failed: {e}");
        }
    }

    fn try_start(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off -c max_connections=60 -c shared_buffers=32MB",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        let out = self.run("pg_ctl", &["-D", path(&self.data()), "-o", &options, "-l", path(&log), "-w", "start"]);
        if out.status.success() {
            return Ok(());
        }
        Err(format!("{}{}", String::from_utf8_lossy(&out.stderr), std::fs::read_to_string(&log).unwrap_or_default()))
    }

    /// Stop the server (it can be started again).
    pub fn stop(&self) {
        let out = self.run("pg_ctl", &["-D", path(&self.data()), "-m", "fast", "-w", "stop"]);
        assert!(out.status.success(), "pg_ctl stop failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// A URL for `user` with `password` written in it, to database `db`.
    pub fn url_with_password(&self, user: &str, password: &str, db: &str) -> String {
        format!("postgres://{user}:{password}@127.0.0.1:{}/{db}", self.port)
    }

    /// A URL for `user` without a password (it comes from `PGPASSWORD` or a `.pgpass`).
    pub fn url(&self, user: &str, db: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{db}", self.port)
    }

    /// The superuser's URL, password included, for `db`.
    pub fn admin_url(&self, db: &str) -> String {
        self.url_with_password(ADMIN, ADMIN_PASSWORD, db)
    }

    /// Run SQL as the superuser over the local socket, through `psql`, stopping at the first error.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let sock = self.dir.path().display().to_string();
        let port = self.port.to_string();
        let out = self.run(
            "psql",
            &[
                "-h",
                &sock,
                "-p",
                &port,
                "-U",
                ADMIN,
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-X",
                "-q",
                "-A",
                "-t",
                "-c",
                sql,
            ],
        );
        assert!(out.status.success(), "psql {sql}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Turn TLS on, with a self-signed certificate made here by `openssl` (PostgreSQL's Debian package depends on
    /// it), and reload the server.
    pub fn enable_tls(&self) {
        let data = self.data();
        let out = self.run_program(
            Path::new("openssl"),
            &[
                "req",
                "-new",
                "-x509",
                "-days",
                "2",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-newkey",
                "rsa:2048",
                "-keyout",
                path(&data.join("server.key")),
                "-out",
                path(&data.join("server.crt")),
            ],
        );
        assert!(out.status.success(), "openssl: {}", String::from_utf8_lossy(&out.stderr));
        self.psql("postgres", "ALTER SYSTEM SET ssl = on");
        self.psql("postgres", "SELECT pg_reload_conf()");
        // The reload is asynchronous: wait until the server says TLS is on.
        for _ in 0..100 {
            if self.psql("postgres", "SHOW ssl") == "on" {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!(
            "the server did not turn TLS on: {}",
            std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
        );
    }

    /// A new, empty database (each test its own).
    pub fn create_db(&self, name: &str) {
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Immediate: the test is over, nothing needs a clean shutdown; the folder goes with the TempDir.
        let _ = self.run("pg_ctl", &["-D", path(&self.data()), "-m", "immediate", "-w", "stop"]);
    }
}

/// Every file under `dir` (where a test looks for a password that must not be written anywhere).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}
