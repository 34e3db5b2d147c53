#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Writes results-pagesize/ (SYNTHETIC numbers, see README): two factors,
# page_size (2 levels) x size (3 numeric levels, MiB), 4 repetitions.
# Deterministic: run it again and nothing changes.
import json, os, random

QUESTION = "Does a 2 MiB page size take fewer nested page faults and less time than 4 KiB for the same memory touched? (synthetic test fixture)"
HYPOTHESIS = "2 MiB pages take fewer nested page faults and less wall time than 4 KiB pages, and the difference grows with the memory touched."
rnd = random.Random(13)
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results-pagesize")
os.makedirs(d, exist_ok=True)
factors = [{"name": "page_size", "levels": ["4k", "2m"]},
           {"name": "size", "levels": ["16", "64", "256"]}]
metrics = ["wall_ns", "npf", "exit_latency_ns"]
reps = 4
configs = [(p, m) for p in range(2) for m in range(3)]
order = [c for c in range(len(configs)) for _ in range(reps)]
rnd.shuffle(order)
experiment = {"question": QUESTION, "hypothesis": HYPOTHESIS,
              "factors": factors, "constants": {"workload": "memory_seq"},
              "metrics": metrics, "repetitions": reps, "warmup": 1, "seed": 13}
with open(os.path.join(d, "experiment.json"), "w") as f:
    json.dump(experiment, f, indent=2)
    f.write("\n")
meta = {"format": 1,
        "question": QUESTION, "hypothesis": HYPOTHESIS,
        "factors": factors, "metrics": metrics, "repetitions": reps,
        "warmup": 1, "seed": 13, "order": order,
        "machine": {"cpu": "Synthetic CPU (fixture)", "host_kernel": "6.1.0-fixture",
                    "hostname": "fixture"},
        "versions": {"module": "0.9", "library": "0.9", "api": 9},
        "started": "2026-11-30T10:00:00Z", "finished": "2026-11-30T10:05:00Z"}
with open(os.path.join(d, "meta.json"), "w") as f:
    json.dump(meta, f, indent=2)
    f.write("\n")
rep = [0] * len(configs)
with open(os.path.join(d, "results.csv"), "w") as f:
    f.write("run,config,repetition,page_size,size," + ",".join(metrics) + "\n")
    for run, c in enumerate(order):
        p, m = configs[c]
        mib = int(factors[1]["levels"][m])
        pages = mib * (256 if p == 0 else 0.5)
        npf = round(pages + rnd.randint(0, 20))
        wall = 1e5 + npf * 900 + mib * 2e3 + rnd.gauss(0, 5e4)
        lat = [rnd.lognormvariate(7.0, 0.3) for _ in range(1)][0] + (300 if p == 0 else 0)
        f.write("%d,%d,%d,%s,%s,%.17g,%.17g,%.17g\n" % (run, c, rep[c], factors[0]["levels"][p],
                factors[1]["levels"][m], round(wall), npf, lat))
        rep[c] += 1
