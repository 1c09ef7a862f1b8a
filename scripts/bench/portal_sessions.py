#!/usr/bin/env python3
"""Many concurrent Data Portal sessions, for scripts/bench/portal (step C).

Opens N sessions spread over the protocols given (sftp through OpenSSH `sftp -b -` child processes,
HTTPS keep-alive, explicit FTPS, S3 with SigV4 over keep-alive HTTPS), at most --parallel opening at
a time. Each session logs in and reads one small file; when all are open they are held for --hold
seconds, then each reads a second file on the same session and closes. The mover's memory is
sampled meanwhile: RSS from /proc/PID/status every second, and the JVM heap after a full GC
(`jcmd PID GC.run` then `GC.heap_info`) before, every --step opened sessions, while held and after
closing. Prints one JSON object on stdout. Every wait has a deadline.
"""
import argparse, base64, datetime, hashlib, hmac, http.client, json, re, ssl, subprocess
import ftplib, os, sys, threading, time, urllib.parse

p = argparse.ArgumentParser()
p.add_argument("--pid", type=int, required=True)
p.add_argument("--sessions", type=int, default=500)
p.add_argument("--kinds", default="sftp https ftps s3")
p.add_argument("--hold", type=float, default=30)
p.add_argument("--parallel", type=int, default=16)
p.add_argument("--step", type=int, default=100)
p.add_argument("--timeout", type=float, default=60, help="seconds, each network operation")
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--sftp-port", type=int); p.add_argument("--https-port", type=int)
p.add_argument("--ftps-port", type=int); p.add_argument("--s3-port", type=int)
p.add_argument("--user", required=True); p.add_argument("--password-env", default="SSHPASS")
p.add_argument("--s3-key-env", default="BENCH_S3_KEY"); p.add_argument("--s3-secret-env", default="BENCH_S3_SECRET")
p.add_argument("--dest", required=True); p.add_argument("--files", required=True, help="comma-separated paths in DEST")
p.add_argument("--size", type=int, required=True); p.add_argument("--tmp", required=True)
a = p.parse_args()
PASSWORD = os.environ[a.password_env]
FILES = a.files.split(",")
CTX = ssl.create_default_context(); CTX.check_hostname = False; CTX.verify_mode = ssl.CERT_NONE
RELEASE = threading.Event()
GATE = threading.Semaphore(a.parallel)
lock = threading.Lock()
state = {"open": 0, "failedOpen": 0, "closedOk": 0, "failedClose": 0, "errors": {}}
open_ms = {}


def error(kind, phase, e):
    with lock:
        key = f"{kind} {phase}: {type(e).__name__}: {str(e)[:120]}"
        state["errors"][key] = state["errors"].get(key, 0) + 1


class Sftp:
    def __init__(self, i):
        self.i = i
        self.p = subprocess.Popen(["sshpass", "-e", "sftp", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
                                   "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                                   "-o", "PubkeyAuthentication=no", "-o", "BatchMode=no", "-o", f"ConnectTimeout={int(a.timeout)}",
                                   "-P", str(a.sftp_port), "-b", "-", f"{a.user}@{a.host}"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  env={**os.environ, "SSHPASS": PASSWORD}, text=True, bufsize=1)
        self.lines = []
        self.cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            with self.cv:
                self.lines.append(line.rstrip("\n")); self.cv.notify_all()
        with self.cv:
            self.lines.append(None); self.cv.notify_all()

    def _await(self, pred, what):
        end = time.monotonic() + a.timeout
        with self.cv:
            while not any(l is not None and pred(l) for l in self.lines):
                if None in self.lines:
                    raise IOError(f"sftp exited during {what}: {self.lines[-4:]}")
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError(what)
                self.cv.wait(left)

    def first(self):
        name = FILES[0]
        self.p.stdin.write(f"ls -l /{a.dest}/{name}\n"); self.p.stdin.flush()
        self._await(lambda l: not l.startswith("sftp>") and name.split("/")[-1] in l and str(a.size) in l, "ls")

    def second(self):
        out = os.path.join(a.tmp, f"sftp-{self.i}")
        self.p.stdin.write(f"get /{a.dest}/{FILES[1]} {out}\nbye\n"); self.p.stdin.close()
        self.p.wait(timeout=a.timeout)
        if self.p.returncode != 0:
            raise IOError(f"sftp rc {self.p.returncode}: {self.lines[-4:]}")
        if os.path.getsize(out) != a.size:
            raise IOError("short file")
        os.unlink(out)

    def close(self):
        if self.p.poll() is None:
            self.p.kill(); self.p.wait()


class Https:
    auth = "Basic " + base64.b64encode(f"{a.user}:{PASSWORD}".encode()).decode()

    def __init__(self, i):
        self.c = http.client.HTTPSConnection(a.host, a.https_port, timeout=a.timeout, context=CTX)

    def get(self, name):
        self.c.request("GET", f"/{a.dest}/{name}", headers={"Authorization": self.auth})
        r = self.c.getresponse(); body = r.read()
        if r.status != 200 or len(body) != a.size:
            raise IOError(f"HTTP {r.status}, {len(body)} bytes")

    def first(self): self.get(FILES[0])
    def second(self): self.get(FILES[1])
    def close(self): self.c.close()


class S3(Https):
    key = os.environ.get(a.s3_key_env, ""); secret = os.environ.get(a.s3_secret_env, "")

    def __init__(self, i):
        self.c = http.client.HTTPSConnection(a.host, a.s3_port, timeout=a.timeout, context=CTX)

    def get(self, name):
        path = urllib.parse.quote(f"/{a.dest}/{name}", safe="/-_.~")
        now = datetime.datetime.now(datetime.timezone.utc)
        amz, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        empty = hashlib.sha256(b"").hexdigest(); host = f"{a.host}:{a.s3_port}"
        signed = "host;x-amz-content-sha256;x-amz-date"
        creq = "\n".join(["GET", path, "", f"host:{host}", f"x-amz-content-sha256:{empty}", f"x-amz-date:{amz}", "",
                          signed, empty])
        scope = f"{day}/us-east-1/s3/aws4_request"
        sts = "\n".join(["AWS4-HMAC-SHA256", amz, scope, hashlib.sha256(creq.encode()).hexdigest()])
        k = ("AWS4" + self.secret).encode()
        for part in (day, "us-east-1", "s3", "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
        self.c.request("GET", path, headers={"Host": host, "x-amz-date": amz, "x-amz-content-sha256": empty,
                                             "Authorization": f"AWS4-HMAC-SHA256 Credential={self.key}/{scope}, "
                                                              f"SignedHeaders={signed}, Signature={sig}"})
        r = self.c.getresponse(); body = r.read()
        if r.status != 200 or len(body) != a.size:
            raise IOError(f"HTTP {r.status}, {len(body)} bytes: {body[:100]!r}")


class Ftps:
    def __init__(self, i):
        self.f = ftplib.FTP_TLS(context=CTX, timeout=a.timeout)
        self.f.connect(a.host, a.ftps_port); self.f.auth(); self.f.login(a.user, PASSWORD); self.f.prot_p()

    def get(self, name):
        buf = bytearray(); self.f.retrbinary(f"RETR /{a.dest}/{name}", buf.extend)
        if len(buf) != a.size:
            raise IOError(f"{len(buf)} bytes")

    def first(self): self.get(FILES[0])
    def second(self): self.get(FILES[1]); self.f.quit()
    def close(self): self.f.close()


KINDS = {"sftp": Sftp, "https": Https, "ftps": Ftps, "s3": S3}
kinds = a.kinds.split()


def session(i):
    kind = kinds[i % len(kinds)]; s = None
    try:
        with GATE:
            t0 = time.monotonic()
            s = KINDS[kind](i); s.first()
            with lock:
                state["open"] += 1; open_ms.setdefault(kind, []).append((time.monotonic() - t0) * 1000)
    except Exception as e:
        error(kind, "open", e)
        with lock: state["failedOpen"] += 1
        if s: s.close()
        return
    RELEASE.wait(a.hold + 600)
    try:
        s.second()
        with lock: state["closedOk"] += 1
    except Exception as e:
        error(kind, "second operation", e)
        with lock: state["failedClose"] += 1
    finally:
        s.close()


def rss_kib():
    with open(f"/proc/{a.pid}/status") as f:
        st = dict(l.split(":", 1) for l in f if ":" in l)
    return int(st["VmRSS"].split()[0]), int(st["Threads"])


def heap_after_gc_kib():
    subprocess.run(["jcmd", str(a.pid), "GC.run"], capture_output=True, timeout=120)
    out = subprocess.run(["jcmd", str(a.pid), "GC.heap_info"], capture_output=True, text=True, timeout=120).stdout
    m = re.search(r"total (\d+)K, used (\d+)K", out)
    return (int(m.group(2)), int(m.group(1))) if m else (-1, -1)


samples, peak = [], {"rssKiB": 0, "threads": 0}
stop_sampler = threading.Event()


def sampler():
    while not stop_sampler.is_set():
        r, t = rss_kib()
        with lock:
            peak["rssKiB"] = max(peak["rssKiB"], r); peak["threads"] = max(peak["threads"], t)
        stop_sampler.wait(1)


def sample(label):
    with lock: n = state["open"] - state["closedOk"] - state["failedClose"]
    used, committed = heap_after_gc_kib(); r, t = rss_kib()
    samples.append({"label": label, "open": n, "rssKiB": r, "heapUsedKiB": used, "heapCommittedKiB": committed,
                    "threads": t, "t": round(time.monotonic() - T0, 1)})
    print(f"[sessions] {label}: {n} open, RSS {r // 1024} MiB, heap after GC {used // 1024} MiB, {t} threads",
          file=sys.stderr, flush=True)


T0 = time.monotonic()
sample("before")
threading.Thread(target=sampler, daemon=True).start()
threads = []
for i in range(a.sessions):
    t = threading.Thread(target=session, args=(i,), daemon=True); t.start(); threads.append(t)
next_step, deadline = a.step, time.monotonic() + a.timeout * (a.sessions / a.parallel + 2)
while True:
    with lock: done = state["open"] + state["failedOpen"]; ok = state["open"]
    if ok >= next_step and next_step < a.sessions:
        sample(f"{next_step} opening"); next_step += a.step
    if done >= a.sessions or time.monotonic() > deadline:
        break
    time.sleep(0.2)
opened_s = time.monotonic() - T0
sample("all open")
time.sleep(a.hold / 2)
sample("held")
time.sleep(a.hold / 2)
RELEASE.set()
for t in threads:
    t.join(a.timeout + 30)
stop_sampler.set()
time.sleep(1)
sample("after close")
print(json.dumps({**state, "sessions": a.sessions, "kinds": kinds, "openSeconds": round(opened_s, 1),
                  "openMsMedian": {k: round(sorted(v)[len(v) // 2]) for k, v in open_ms.items()},
                  "peak": peak, "samples": samples}))
