#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a benchmark's time goes in the guest: a sampling profile.

  scripts/guest-profile.py [LANE]      (default 6.1-5level; after make all)
  scripts/guest-profile.py --trace FUNC@PART [LANE]

Boots the lane's bench guest with ptwalk_bench's case p (each part of
(d), (e) and (a) in a loop, 20 s each) and QEMU's monitor on a socket.
While a part runs, it samples both vCPUs about 100 times a second: the
monitor's "stop" brings every vCPU out of its translated code at an
instruction boundary, "info registers -a" reads them, "cont" goes on.
The guest prints its /proc/kallsyms text symbols first; each sample's
RIP is looked up there.  A halted vCPU (HLT=1) is idle and not counted.
No PMU is needed (TCG has none), but stopping the guest costs it time:
the shares are of samples, not of the bench's own timings.
--trace: instead of sampling, count exactly the instructions of one call
of the guest kernel's FUNC while PART runs (e.g. ptw_translate@e_batch_lean,
__x64_sys_ioctl@d_single_lean): gdb, on QEMU's gdbstub, single-steps it
from its entry to its return (IRQs masked while stepping), twice, and
prints the instructions per function and their sequence.  Only PART runs
(ptwalk_profile_part= on the guest's command line).
PTWALK_PROFILE_DETAIL=N: the busiest offsets of the N busiest functions.
PTWALK_PROFILE_CASES=q: the fault loop untraced and traced instead (pq: all).
A sample is where the vCPU stood between two translated blocks: the time
of a block shows at the start of the block after it.
"""
import bisect
import collections
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def hmp(sock, cmd):
    sock.sendall(cmd.encode() + b"\n")
    buf = b""
    while not buf.endswith(b"(qemu) "):
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError
        buf += chunk
    return buf.decode(errors="replace")


GDB_SCRIPT = r"""
import gdb
gdb.execute("set pagination off")
gdb.execute("target remote :%(port)d")
gdb.execute("hbreak *%(addr)#x")
out = open("%(out)s", "w")
for rep in range(2):
    gdb.execute("continue")
    rsp = int(gdb.parse_and_eval("$rsp")) & (2**64 - 1)
    ret = int(gdb.parse_and_eval("*(unsigned long *)$rsp")) & (2**64 - 1)
    pcs = []
    while len(pcs) < 400000:
        gdb.execute("stepi", to_string=True)
        pc = int(gdb.parse_and_eval("$pc")) & (2**64 - 1)
        if pc == ret and (int(gdb.parse_and_eval("$rsp")) & (2**64 - 1)) > rsp:
            break
        pcs.append(pc)
    out.write("REP %%d\n" %% rep + "".join("%%x\n" %% p for p in pcs))
out.close()
gdb.execute("delete")
gdb.execute("detach")
"""


def kallsyms(log):
    syms = []
    with open(log, errors="replace") as f:
        inside = False
        for line in f:
            if "PTWALK-KALLSYMS" in line:
                inside = "begin" in line
                continue
            if inside:
                w = line.split()
                if len(w) >= 3:
                    name = w[2] + (" " + w[3] if len(w) > 3 else "")
                    syms.append((int(w[0], 16), name))
    syms.sort()
    return syms


def boot(lane, part=None, **qemu):
    """The lane's bench guest with ptwalk_bench's profiling cases (or one part of them)."""
    env = dict(os.environ, PTWALK_GUEST_APPEND="ptwalk_bench_cases=%s %s %s" % (
        os.environ.get("PTWALK_PROFILE_CASES", "p"),
        "ptwalk_profile_part=" + part if part else "",
        os.environ.get("PTWALK_GUEST_APPEND", "")), **qemu)
    return subprocess.Popen([os.path.join(TOP, "scripts/run-guests.sh"), "bench", lane],
                            env=env, stdout=subprocess.DEVNULL)


def wait_for(log, text, run):
    while run.poll() is None:
        try:
            with open(log, errors="replace") as f:
                if text in f.read():
                    return True
        except FileNotFoundError:
            pass
        time.sleep(0.5)
    return False


def trace(func, part, lane, log):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = boot(lane, part, PTWALK_QEMU_GDB="tcp:127.0.0.1:%d" % port)
    if not wait_for(log, "PTWALK-PROFILE begin " + part, run):
        print("guest-profile: the guest never ran %s (see %s)" % (part, log), file=sys.stderr)
        return 1
    syms = kallsyms(log)
    addr = [a for a, n in syms if n.split()[0] == func]
    if not addr:
        print("guest-profile: no %s in the guest's kallsyms" % func, file=sys.stderr)
        run.kill()
        return 1
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "pcs")
    with open(os.path.join(tmp, "trace.py"), "w") as f:
        f.write(GDB_SCRIPT % {"port": port, "addr": addr[0], "out": out})
    subprocess.run(["gdb", "-batch", "-nx", "-x", os.path.join(tmp, "trace.py")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    run.wait()
    reps = open(out).read().split("REP ")[1:]
    addrs = [a for a, _ in syms]
    for rep in reps:
        pcs = [int(x, 16) for x in rep.splitlines()[1:]]
        per = collections.Counter()
        seq = []
        for pc in pcs:
            i = bisect.bisect_right(addrs, pc) - 1
            name = syms[i][1].split()[0] if i >= 0 else "?"
            per[name] += 1
            if seq and seq[-1][0] == name:
                seq[-1][1] += 1
            else:
                seq.append([name, 1])
        print("== one call of %s during %s: %d instructions" % (func, part, len(pcs)))
        for name, c in per.most_common():
            print("  %6d  %s" % (c, name))
        print("  in order: " + " ".join("%s:%d" % (n, c) for n, c in seq))
    return 0


def main():
    args = sys.argv[1:]
    func = None
    if args[:1] == ["--trace"]:
        func, part = args[1].split("@")
        args = args[2:]
    lane = args[0] if args else "6.1-5level"
    build = os.environ.get("BUILD", os.path.join(TOP, "build"))
    log = os.path.join(build, "logs", lane + ".log")
    # the last run's log would answer the waits below
    if os.path.exists(log):
        os.unlink(log)
    if func:
        return trace(func, part, lane, log)
    sockpath = os.path.join(tempfile.mkdtemp(), "monitor.sock")
    run = boot(lane, PTWALK_QEMU_MONITOR="unix:%s,server,nowait" % sockpath)
    samples = collections.defaultdict(list)  # part -> RIPs
    idle = collections.Counter()
    sock = None
    part = None
    seen = 0
    while run.poll() is None:
        if sock is None:
            if not os.path.exists(sockpath):
                time.sleep(0.5)
                continue
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(sockpath)
            hmp(sock, "")
        try:
            with open(log, errors="replace") as f:
                f.seek(seen)
                text = f.read()
        except FileNotFoundError:
            text = ""
        # whole lines only
        text = text[:text.rfind("\n") + 1]
        seen += len(text.encode(errors="replace"))
        for m in re.finditer(r"PTWALK-PROFILE (begin|end) (\S+)", text):
            part = m.group(2) if m.group(1) == "begin" else None
        if part is None:
            time.sleep(0.2)
            continue
        try:
            hmp(sock, "stop")
            regs = hmp(sock, "info registers -a")
            hmp(sock, "cont")
        except (EOFError, OSError):
            break
        for rip, hlt in re.findall(r"RIP=([0-9a-f]+).*?HLT=(\d)", regs, re.S):
            if hlt == "1":
                idle[part] += 1
            else:
                samples[part].append(int(rip, 16))
        time.sleep(0.01)
    run.wait()

    syms = kallsyms(log)
    addrs = [a for a, _ in syms]
    detail = int(os.environ.get("PTWALK_PROFILE_DETAIL", "0"))
    for part, rips in samples.items():
        where = collections.Counter()
        for rip in rips:
            if rip < 1 << 47:
                where["[user space]"] += 1
                continue
            i = bisect.bisect_right(addrs, rip) - 1
            where[syms[i][1] if i >= 0 else "[unknown]"] += 1
        n = len(rips)
        print("== %s: %d busy samples (%d idle not counted)" % (part, n, idle[part]))
        for name, c in where.most_common(30):
            print("  %5.1f%%  %s" % (100.0 * c / n, name))
        # the busiest offsets in the busiest functions: addr2line them on
        # the lane's ptwalk.ko (its symbol's address there plus the offset)
        for name, _ in where.most_common(detail):
            offs = collections.Counter()
            for rip in rips:
                i = bisect.bisect_right(addrs, rip) - 1
                if i >= 0 and rip >= 1 << 47 and syms[i][1] == name:
                    offs[rip - addrs[i]] += 1
            print("  %s: %s" % (name, " ".join("+%#x:%d" % o for o in sorted(offs.most_common(12)))))
    if not samples:
        print("guest-profile: no samples (see %s)" % log, file=sys.stderr)
        return 1
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
