"""Time check_answer on a set of answers (median per check, ms): python bench/bench_check_answer.py"""

import os
import statistics
import time

from w2v_helpers import check_answer

ANSWERS = [
    r"\frac{\partial J}{\partial v_c} = -u_o + \sum_{w\in V} \hat y_w u_w",
    r"\frac{\partial J}{\partial v_c} = U(\hat y - y)",
    r"\frac{\partial J}{\partial v_c} = -u_o + \sum_{w} \hat y_w v_w",
    r"\frac{\partial J}{\partial U} = v_c(\hat y - y)^\top",
    r"\frac{\partial J}{\partial u_w} = (\hat y_w - y_w) v_c",
    r"\sigma'(x) = \sigma(x)(1-\sigma(x))",
    r"\frac{\partial J}{\partial v_c} = -\sigma(-u_o^\top v_c) u_o + \sum_{k=1}^K \sigma(u_k^\top v_c) u_k",
    r"\frac{\partial J}{\partial u_k} = \sigma(u_k^\top v_c) v_c",
    r"\frac{\partial J}{\partial v_c} = \sum_{-m\le j\le m, j\ne 0} \frac{\partial J(v_c, w_{t+j}, U)}{\partial v_c}",
    r"\frac{\partial J}{\partial v_c} = u_o - \sum_{w} \hat y_w u_w",
]


def main(repeats=5):
    check_answer(ANSWERS[0])  # build the parser and the scenes once
    times = {}
    for a in ANSWERS:
        ts = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            check_answer(a)
            ts.append((time.perf_counter() - t0) * 1000)
        times[a] = statistics.median(ts)
    for a, t in times.items():
        print(f"{t:8.1f} ms  {a[:70]}")
    allt = list(times.values())
    print(
        f"median over answers: {statistics.median(allt):.1f} ms, max {max(allt):.1f} ms "
        f"(load average {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
