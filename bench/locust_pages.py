"""Locust users for bench/pages_at_scale.py: each asks for one URL (BENCH_PATH) again and
again, with no pause, as fast as the server answers (a closed loop of --users clients)."""

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/")


class Visitor(FastHttpUser):
    wait_time = constant(0)
    # An anonymous visitor who chose nothing: the site's French pages.
    default_headers = {"Accept": "text/html,application/json"}

    @task
    def read(self) -> None:
        with self.client.get(PATH, name=PATH, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
