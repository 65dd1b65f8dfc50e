"""The deploy workflow is least-privilege: zizmor finds nothing but the tag pins, and it is a valid workflow.

Pinning actions to commit hashes needs GitHub, which this project's machines cannot reach, so the
tags stay and ``unpinned-uses`` is the one finding allowed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
ALLOWED = {"unpinned-uses"}


def test_zizmor_finds_nothing_but_tag_pins():
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--format", "json", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(result.stdout)
    assert result.stdout.strip(), result.stderr
    unexpected = [f"{f['ident']}: {f['desc']}" for f in findings if f["ident"] not in ALLOWED]
    assert unexpected == []


def test_workflows_match_the_github_schema():
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_deploy_job_may_write():
    workflow = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    writers = {name for name, job in jobs.items() if "write" in (job.get("permissions") or {}).values()}
    assert writers == {"deploy"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkouts = [s for job in jobs.values() for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)
    assert "sudo" not in (WORKFLOWS / "publish.yml").read_text(encoding="utf-8").replace("no sudo", "")


def test_the_publish_compares_with_the_live_sites_snapshot():
    workflow = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("name", "") for step in steps]
    fetch = steps[names.index("Fetch the live site's snapshot, to compare with")]
    publish = steps[names.index("Publish (quality gates included)")]
    assert names.index(fetch["name"]) < names.index(publish["name"])
    assert '"$SITEURL/data/snapshot.json"' in fetch["run"] and "404" in fetch["run"]
    assert fetch["env"]["SITEURL"] == publish["env"]["SITEURL"]
    assert publish["env"]["PREVIOUS"] == "${{ steps.previous.outputs.previous }}"
    assert fetch["id"] == "previous"
