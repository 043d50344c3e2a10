"""The benchmark scripts import, the bare WSGI app answers, and wrk's report is read right.

No timing here: the figures come from running the scripts (``make bench``).
"""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"

# A report of Debian's wrk 4.1.0 (--latency) with failed answers and socket errors.
WRK_REPORT = """\
Running 2s test @ http://127.0.0.1:48999/nl/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.20ms    1.09ms   19.24ms   90.80%
    Req/Sec   800.00    110.00     0.90k    70.00%
  Latency Distribution
     50%  393.00us
     75%  444.00us
     90%    1.62ms
     99%    1.05s
  3200 requests in 2.00s, 449.85KB read
  Socket errors: connect 0, read 7, write 0, timeout 3
  Non-2xx or 3xx responses: 40
Requests/sec:   1600.00
Transfer/sec:    224.97KB
"""


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["http", "startup", "report", "registration_sites"])
def test_script_imports_without_running(name):
    module = load_script(name)

    assert callable(module.main)


def test_bare_app_answers_hello():
    bare = load_script("bare_wsgi")
    started = []

    body = b"".join(
        bare.application(
            {"REQUEST_METHOD": "GET", "PATH_INFO": "/"},
            lambda status, headers: started.append((status, dict(headers))),
        )
    )

    assert body == b"hello"
    [(status, headers)] = started
    assert status == "200 OK"
    assert headers["Content-Length"] == "5"


def test_wrk_report_counts_failures_and_reads_latency_units():
    bench_http = load_script("http")

    sample = bench_http.parse_wrk(WRK_REPORT)

    assert sample.requests == 3200
    assert sample.errors == 50  # 7 read + 3 timeout + 40 not 2xx/3xx
    assert sample.rps == pytest.approx((3200 - 40) / 2)  # socket errors are not among them
    assert sample.p50_ms == pytest.approx(0.393)
    assert sample.p99_ms == pytest.approx(1050.0)
    assert "40 answers not 2xx or 3xx" in sample.first_error


def test_unreadable_wrk_report_stops_the_benchmark():
    bench_http = load_script("http")

    with pytest.raises(bench_http.BenchError, match="Could not read wrk's report"):
        bench_http.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_sign_ups_across_sites_are_spread_and_each_checked_against_its_site():
    region = load_script("registration_sites")
    hosts = ["heidestad.localhost", "bosdonk.localhost", "beekhoven.localhost"]

    expected = region.plan(hosts, processes=2, each=3)

    assert len(expected) == 6
    # Each process starts at its own site and goes round: every site gets sign-ups.
    assert sorted(expected.values()) == sorted(hosts * 2)
    stored = list(expected.items())
    assert region.check(expected, stored) == {
        "lost": 0,
        "doubled": 0,
        "wrong site": 0,
        "unexpected": 0,
    }
    (first, first_host), doubled, *rest = stored
    elsewhere = next(host for host in hosts if host != first_host)

    found = region.check(expected, [(first, elsewhere), doubled, doubled])

    assert found == {"lost": len(rest), "doubled": 1, "wrong site": 1, "unexpected": 0}
