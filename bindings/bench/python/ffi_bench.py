"""FFI overhead from Python (ctypes): the same calls ffi_bench makes from Rust,
on the home it prepared. Run by bindings/scripts/bench-ffi.sh."""

import statistics
import sys
import time

import zhifa_ffi as z


def median_s(runs, fn):
    t = []
    for _ in range(runs):
        s = time.perf_counter()
        fn()
        t.append(time.perf_counter() - s)
    return statistics.median(t)


def main():
    home, rust_list_ms, rust_call_us = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    app = z.ZhifaApp.open(home)
    f = z.CaseFilter(stage=None, kind=None, text=None, due_by=None, unsynced=False)
    rows = len(app.list_cases(f))
    call = median_s(5000, z.core_version) * 1e6
    lst = median_s(50, lambda: app.list_cases(f)) * 1e3
    print(f"python: round trip core_version() median {call:.2f} µs (Rust {rust_call_us:.3f} µs)")
    print(f"python: list_cases {rows} rows median {lst:.3f} ms = {lst / rust_list_ms:.2f}× the Rust call "
          f"({rust_list_ms:.3f} ms; Python builds every record as objects)")


if __name__ == "__main__":
    main()
